import { parseArgs } from 'node:util';
import { createDocumentClient } from '../functions/adapters/dynamodb/client';
import { compose } from '../functions/composition/application';
import { basePorts } from '../functions/composition/ports';
import { createTenantInput } from '../functions/domain/organisation/tenant';

const usage = `Usage: npm run create-tenant -- --region REGION --table TABLE_NAME --tenant ID --name "Company" \\
         --admin-email EMAIL --admin-name "Name" [--lookup fuzzy|exact] [--scope own-department|with-sub-departments] \
         [--endpoint http://127.0.0.1:8000]

Creates the tenant and its first CRM admin in one transaction, with the AWS credentials of your shell.
The stack's identity provisioner then creates the admin's Cognito login and e-mails a temporary password.
TABLE_NAME is the TableName output of the region's stateful stack. --endpoint writes to a DynamoDB Local
instead (npm start's: --region local --table fieldservice-local --endpoint http://127.0.0.1:8000).`;

async function main() {
  const { values } = parseArgs({
    options: {
      region: { type: 'string' },
      table: { type: 'string' },
      tenant: { type: 'string' },
      name: { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-name': { type: 'string' },
      lookup: { type: 'string' },
      scope: { type: 'string' },
      endpoint: { type: 'string' },
    },
  });
  if (!values.region || !values.table) {
    console.error(usage);
    process.exit(2);
  }
  const input = createTenantInput.safeParse({
    id: values.tenant,
    name: values.name,
    settings: {
      ...(values.lookup ? { customerLookup: values.lookup } : {}),
      ...(values.scope ? { superiorVisibleDataScope: values.scope } : {}),
    },
    admin: { name: values['admin-name'], email: values['admin-email'] },
  });
  if (!input.success) {
    for (const issue of input.error.issues)
      console.error(`${issue.path.join('.') || 'input'}: ${issue.message}`);
    console.error(`\n${usage}`);
    process.exit(2);
  }
  process.env.AWS_REGION = values.region;
  const client = createDocumentClient(values.endpoint);
  try {
    const { tenant, admin } = await compose(
      basePorts({ client, tableName: values.table }),
    ).masterData.tenants.create(input.data);
    console.log(
      `Created tenant ${tenant.id} (${tenant.name}) in ${values.region}; first CRM admin ${admin.email} (user ${admin.id}).`,
    );
    console.log(
      'The admin receives an e-mail with a temporary password once the identity provisioner has run.',
    );
  } finally {
    client.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
