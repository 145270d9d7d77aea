import type { IdentityDirectory } from './identity';
import type { User } from './user';

/**
 * Brings the login of one user in line with the user record as it is now.
 * Events only say which user to look at: reading the current record makes
 * retries and out-of-order deliveries converge on the same state.
 */
export async function provisionIdentity(
  users: { get(tenantId: string, id: string): Promise<User | undefined> },
  directory: IdentityDirectory,
  tenantId: string,
  userId: string,
): Promise<'created' | 'updated' | 'removed' | 'absent'> {
  const user = await users.get(tenantId, userId);
  if (!user) return directory.remove(tenantId, userId);
  return directory.ensure({
    tenantId,
    userId,
    email: user.email,
    name: user.name,
    roles: user.roles,
    enabled: user.status === 'active',
  });
}
