import { parseArgs } from 'node:util';
import { isRole, ROLES } from '../functions/domain/access/principal';
import { devSecret, signDevToken } from './auth/dev-jwt';

const usage = `Usage: npm run token -- --tenant T --user U --role R [--role R2] [--ttl SECONDS]
Roles: ${ROLES.join(', ')}`;

try {
  const { values } = parseArgs({
    options: {
      tenant: { type: 'string' },
      user: { type: 'string' },
      role: { type: 'string', multiple: true },
      ttl: { type: 'string' },
    },
  });
  const roles = values.role ?? [];
  const unknown = roles.filter((role) => !isRole(role));
  if (!values.tenant || !values.user || roles.length === 0 || unknown.length > 0) {
    if (unknown.length > 0) console.error(`Unknown role: ${unknown.join(', ')}`);
    console.error(usage);
    process.exit(2);
  }
  const ttlSeconds = values.ttl ? Number(values.ttl) : undefined;
  const token = signDevToken(
    { tenantId: values.tenant, userId: values.user, roles, ttlSeconds },
    devSecret(),
  );
  console.error(`Dev token for ${values.user} in tenant ${values.tenant} (${roles.join(', ')}):`);
  console.log(token);
} catch (error) {
  console.error((error as Error).message);
  console.error(usage);
  process.exit(2);
}
