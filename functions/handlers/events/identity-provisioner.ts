import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import * as z from 'zod/mini';
import { CognitoIdentityDirectory } from '../../adapters/cognito/identity-directory';
import { fromEnvironment } from '../../composition/environment';
import { masterDataRepositories } from '../../composition/master-data';
import { IDENTITY_EVENTS, type IdentityDirectory } from '../../domain/organisation/identity';
import { provisionIdentity } from '../../domain/organisation/identity-provisioning';
import type { User } from '../../domain/organisation/user';
import { ValidationError } from '../../domain/shared/errors';
import { domainEventSchema } from '../../domain/shared/events';
import { readConfig, required } from '../../shared/config';
import type { FunctionLogger } from '../../shared/logger';
import type { FunctionMetrics } from '../../shared/metrics';
import { builtOnFirstCall } from '../entry';
import { eventHandler } from '../event-handler';
import { observability } from '../observability';

const SERVICE = 'identity-provisioner';

/** The EventBridge event an identity rule delivers: one of the user and tenant events. */
const identityEvent = z.object({
  id: z.string(),
  detail: z.extend(domainEventSchema, { type: z.enum(IDENTITY_EVENTS.types) }),
});
const userReference = z.object({ id: z.string().check(z.minLength(1)) });
const tenantCreated = z.object({ adminUserId: z.string().check(z.minLength(1)) });

/**
 * EventBridge → Cognito: creates, updates, disables and deletes logins as
 * users change. Failures throw, so Lambda retries and then keeps the event
 * in the dead-letter queue.
 */
export function createIdentityProvisioner(
  users: { get(tenantId: string, id: string): Promise<User | undefined> },
  directory: IdentityDirectory,
  logger?: FunctionLogger,
  metrics?: FunctionMetrics,
) {
  return eventHandler(
    {
      accepts: 'an identity event',
      schema: identityEvent,
      correlationId: (event) => event.detail.id,
      handle: async ({ detail: domainEvent }, { logger }) => {
        const reference =
          domainEvent.type === 'TenantCreated'
            ? tenantCreated.safeParse(domainEvent.detail)
            : userReference.safeParse(domainEvent.detail);
        if (!reference.success)
          throw new ValidationError(`${domainEvent.type} ${domainEvent.id} names no user`);
        const userId = 'adminUserId' in reference.data ? reference.data.adminUserId : reference.data.id;
        const outcome = await provisionIdentity(users, directory, domainEvent.tenantId, userId);
        logger.info('identity provisioned', {
          type: domainEvent.type,
          tenantId: domainEvent.tenantId,
          userId,
          outcome,
        });
        return { userId, outcome };
      },
    },
    observability(SERVICE, { logger, metrics }),
  );
}

const cognito = new CognitoIdentityProviderClient({});

export const handler = builtOnFirstCall(() => {
  const config = readConfig();
  const userPoolId = required(config, 'USER_POOL_ID');
  return createIdentityProvisioner(
    fromEnvironment(masterDataRepositories, undefined, config).users,
    new CognitoIdentityDirectory(cognito, () => userPoolId),
  );
});
