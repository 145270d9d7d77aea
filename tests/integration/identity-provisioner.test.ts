import { readFileSync } from 'node:fs';
import type { EventBridgeEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../functions/composition/application';
import type { MasterDataServices } from '../../functions/composition/master-data';
import { basePorts } from '../../functions/composition/ports';
import type { Principal } from '../../functions/domain/access/principal';
import type { Identity, IdentityDirectory } from '../../functions/domain/organisation/identity';
import { createIdentityProvisioner } from '../../functions/handlers/events/identity-provisioner';
import { createLogger } from '../../functions/shared/logger';
import { freshTable } from '../helpers/table';

/** The login directory as a map, so the test sees what the provisioner left behind. */
class InMemoryDirectory implements IdentityDirectory {
  readonly logins = new Map<string, Identity>();
  async ensure(identity: Identity) {
    const key = `${identity.tenantId}.${identity.userId}`;
    const outcome = this.logins.has(key) ? 'updated' : 'created';
    this.logins.set(key, identity);
    return outcome;
  }
  async remove(tenantId: string, userId: string) {
    return this.logins.delete(`${tenantId}.${userId}`) ? 'removed' : 'absent';
  }
}

let table: Awaited<ReturnType<typeof freshTable>>;
let svc: MasterDataServices;
const directory = new InMemoryDirectory();
let provision: ReturnType<typeof createIdentityProvisioner>;
const admin: Principal = { tenantId: 'acme', userId: 'u-admin', roles: ['crm-admin'] };

const asEventBridge = (detail: unknown): EventBridgeEvent<string, unknown> => {
  const template = JSON.parse(
    readFileSync(new URL('../../events/eventbridge/account-created.json', import.meta.url), 'utf8'),
  );
  return {
    ...template,
    'detail-type': (detail as { type: string }).type,
    source: 'fieldservice.organisation',
    detail,
  };
};

beforeAll(async () => {
  table = await freshTable('identity');
  svc = compose(basePorts(table)).masterData;
  provision = createIdentityProvisioner(
    svc.repositories.users,
    directory,
    createLogger({}, () => undefined),
  );
});
afterAll(async () => table?.drop());

describe('identity provisioner', () => {
  it('creates the first admin login when a tenant is created', async () => {
    await svc.tenants.create({
      id: 'acme',
      name: 'Acme',
      admin: { id: 'u-admin', name: 'Ada', email: 'ada@acme.example' },
    });
    const event = (await svc.repositories.users.get('acme', 'u-admin')) && {
      id: 'e1',
      type: 'TenantCreated',
      source: 'fieldservice.organisation',
      tenantId: 'acme',
      occurredAt: new Date().toISOString(),
      detail: { id: 'acme', version: 1, adminUserId: 'u-admin' },
    };
    const result = await provision(asEventBridge(event));
    expect(result.outcome).toBe('created');
    expect(directory.logins.get('acme.u-admin')).toMatchObject({ roles: ['crm-admin'], enabled: true });
  });

  it('follows the user record as it is now, whatever order events arrive in', async () => {
    const user = await svc.users.create(admin, {
      name: 'Tech',
      email: 'tech@acme.example',
      roles: ['service-staff'],
    });
    await svc.users.update(admin, user.id, 1, {
      roles: ['service-staff', 'service-manager'],
      status: 'disabled',
      version: 1,
    });
    const created = {
      id: 'e2',
      type: 'UserCreated',
      source: 'fieldservice.organisation',
      tenantId: 'acme',
      occurredAt: new Date().toISOString(),
      detail: { id: user.id, version: 1 },
    };

    // The older event arrives after the change: the login still reflects the current record.
    await provision(asEventBridge(created));
    expect(directory.logins.get(`acme.${user.id}`)).toMatchObject({
      roles: ['service-staff', 'service-manager'],
      enabled: false,
    });

    await svc.users.delete(admin, user.id, 2);
    const deleted = await provision(asEventBridge({ ...created, id: 'e3', type: 'UserDeleted' }));
    expect(deleted.outcome).toBe('removed');
    expect(directory.logins.has(`acme.${user.id}`)).toBe(false);
  });

  it('refuses events it does not handle, so they end in the dead-letter queue', async () => {
    await expect(
      provision(
        asEventBridge({
          id: 'e4',
          type: 'AccountCreated',
          source: 'fieldservice.customers',
          tenantId: 'acme',
          occurredAt: new Date().toISOString(),
          detail: {},
        }),
      ),
    ).rejects.toThrow(/Not an identity event/);
  });
});
