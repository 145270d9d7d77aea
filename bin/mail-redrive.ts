import { parseArgs } from 'node:util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { redriveInboundMail } from '../lib/ops/mail-redrive';

const usage = `Usage: npm run mail:redrive -- --region REGION [--dry-run]
       npm run mail:redrive -- --local [--dry-run]

Invokes the inbound mail handler of the region again with every mail in its on-failure queue, then
deletes the message; with --dry-run only prints what it would re-drive. Fix the cause first (the
handler's log group says what failed). Uses the AWS credentials of your shell. With --local, the
deliveries \`npm start\` kept in .local/mail-failed/ go to the local handler instead.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      region: { type: 'string' },
      local: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  if (values.local) {
    const { redriveLocalMail } = await import('../local/mail-redrive');
    return redriveLocalMail({ dryRun: values['dry-run'] });
  }
  if (!values.region) {
    console.error(usage);
    return 2;
  }
  const region = values.region;
  const clients = {
    cloudFormation: new CloudFormationClient({ region }),
    sqs: new SQSClient({ region }),
    lambda: new LambdaClient({ region }),
  };
  try {
    const summary = await redriveInboundMail(clients, {
      region,
      dryRun: values['dry-run'],
      print: (line) => console.log(line),
    });
    return summary.failed + summary.malformed > 0 ? 1 : 0;
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
