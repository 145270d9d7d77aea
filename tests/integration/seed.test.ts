import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose } from '../../functions/composition/application';
import type { MasterDataServices } from '../../functions/composition/master-data';
import { basePorts } from '../../functions/composition/ports';
import type { Principal } from '../../functions/domain/access/principal';
import { seedDemoTenant } from '../../local/seed-data';
import { freshTable } from '../helpers/table';

let table: Awaited<ReturnType<typeof freshTable>>;
let svc: MasterDataServices;
const manager: Principal = { tenantId: 'demo', userId: 'u-manager', roles: ['service-manager'] };

beforeAll(async () => {
  table = await freshTable('seed');
  svc = compose(basePorts(table)).masterData;
  await seedDemoTenant(svc, compose(basePorts(table)).workOrders);
});
afterAll(async () => table?.drop());

describe('the demo seed', () => {
  it('builds a two-level hierarchy under the manager', async () => {
    const direct = await svc.repositories.users.subordinates('demo', 'u-manager', { limit: 10 });
    const second = await svc.repositories.users.subordinates('demo', 'u-lead', { limit: 10 });
    expect(direct.items.map((u) => u.id)).toEqual(['u-lead']);
    expect(second.items.map((u) => u.id).sort()).toEqual(['u-tech1', 'u-tech2']);
  });

  it('gives every account a contact and a device that can be looked up by QR code', async () => {
    const accounts = await svc.accounts.list(manager, { limit: 10 });
    expect(accounts.items).toHaveLength(3);
    for (const account of accounts.items) {
      const contacts = await svc.repositories.contacts.ofAccount('demo', account.id, { limit: 10 });
      const devices = await svc.repositories.devices.ofAccount('demo', account.id, { limit: 10 });
      expect(contacts.items).toHaveLength(1);
      expect(devices.items).toHaveLength(1);
      const byQr = await svc.repositories.devices.findBy('demo', { qrCode: devices.items[0]?.qrCode ?? '' });
      expect(byQr?.accountId).toBe(account.id);
    }
  });

  it('gives the manager a picture of the team: work orders of subordinates, the urgent one assigned by the rule', async () => {
    const wo = compose(basePorts(table)).workOrders.workOrders;
    const subordinates = await wo.scene(manager, { scene: 'my-subordinates-responsible' });
    const leadUrgent = await wo.scene(
      { tenantId: 'demo', userId: 'u-tech1', roles: ['service-staff'] },
      { scene: 'urgent' },
    );
    expect(subordinates.items.map((w) => w.title).sort()).toEqual([
      'Annual maintenance 2026',
      'Boiler leaking in the basement',
      'No hot water in rooms 12-20',
    ]);
    expect(leadUrgent.items.map((w) => w.title)).toEqual(['Boiler leaking in the basement']);
  });

  it('cannot run twice over the same tenant', async () => {
    await expect(seedDemoTenant(svc, compose(basePorts(table)).workOrders)).rejects.toThrow(/already exists/);
  });
});
