import { createDocumentClient } from '../functions/adapters/dynamodb/client';
import { compose } from '../functions/composition/application';
import { basePorts } from '../functions/composition/ports';
import { LOCAL_DEFAULTS } from './paths';
import { DEMO_TENANT, seedDemoTenant } from './seed-data';

const TENANT = DEMO_TENANT;

/**
 * `npm run seed`: a demo tenant in the running local stack (`npm start`):
 * a small organisation with a hierarchy, customers with contacts and devices,
 * and a product catalogue. Runs once; a second run leaves the data alone.
 */
async function main() {
  const endpoint = process.env.DYNAMODB_ENDPOINT ?? `http://127.0.0.1:${LOCAL_DEFAULTS.dynamoDbPort}`;
  const client = createDocumentClient(endpoint);
  const app = compose(basePorts({ client, tableName: LOCAL_DEFAULTS.tableName }));
  const svc = app.masterData;
  try {
    if (await svc.repositories.tenants.get(TENANT)) {
      console.log(`Tenant ${TENANT} is already seeded; nothing to do.`);
      return;
    }
    await seedDemoTenant(svc, app.workOrders, TENANT);
    console.log(`Seeded tenant ${TENANT}: 7 users in a hierarchy, 2 departments, 1 group, 3 accounts, 4 products,\n2 work-order types, a sharing rule and 3 work orders.
Try:  TOKEN=$(npm run -s token -- --tenant ${TENANT} --user u-manager --role service-manager --role service-staff | tail -1)
      curl -H "authorization: Bearer $TOKEN" 'http://127.0.0.1:${LOCAL_DEFAULTS.apiPort}/work-orders?scene=all'`);
  } finally {
    client.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(String(error), '\nIs the local stack running (npm start)?');
  process.exit(1);
});
