import { parseArgs } from 'node:util';
import { createDocumentClient } from '../functions/adapters/dynamodb/client';
import { agreementServices } from '../functions/composition/agreements';
import { basePorts } from '../functions/composition/ports';

const usage = `Usage: npm run ledger:check -- --region REGION --table TABLE_NAME --tenant ID [--endpoint URL]

Checks every counted line of the tenant's service agreements against its ledger: remaining =
quantity - redeemed + released, never below zero, and every count backed by its entries. Reads only.
Exits 1 when it finds a discrepancy. TABLE_NAME is the TableName output of the region's stateful stack;
for npm start's DynamoDB Local: --region local --table fieldservice-local --endpoint http://127.0.0.1:8000.`;

async function main() {
  const { values } = parseArgs({
    options: {
      region: { type: 'string' },
      table: { type: 'string' },
      tenant: { type: 'string' },
      endpoint: { type: 'string' },
    },
  });
  if (!values.region || !values.table || !values.tenant) {
    console.error(usage);
    process.exit(2);
  }
  process.env.AWS_REGION = values.region;
  const client = createDocumentClient(values.endpoint);
  try {
    const { ledgerAudit } = agreementServices(basePorts({ client, tableName: values.table }));
    const report = await ledgerAudit.check(values.tenant);
    console.log(
      `Tenant ${report.tenantId}: ${report.agreements} agreements, ${report.countedLines} counted lines checked.`,
    );
    for (const d of report.discrepancies)
      console.log(`  agreement ${d.agreementId} line ${d.lineId}: ${d.problem}`);
    if (report.discrepancies.length > 0) {
      console.log(`${report.discrepancies.length} discrepancies.`);
      process.exitCode = 1;
    } else console.log('Every ledger adds up.');
  } finally {
    client.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
