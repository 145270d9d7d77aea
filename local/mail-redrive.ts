import { createDocumentClient } from '../functions/adapters/dynamodb/client';
import { createInboundMailHandler } from '../functions/handlers/mail/inbound-mail';
import { createLogger } from '../functions/shared/logger';
import { failedMailFolder } from './mail/inbound';
import { localApplication } from './mail/work-order-actions';
import { LOCAL_DEFAULTS, STATE_DIR } from './paths';

/**
 * `npm run mail:redrive -- --local [--dry-run]`: hands the inbound handler
 * every delivery the local SMTP intake kept as failed (.local/mail-failed/),
 * against the DynamoDB Local of `npm start`. Prints one line per mail.
 */
export async function redriveLocalMail(options: { dryRun: boolean }): Promise<number> {
  const table = {
    client: createDocumentClient(
      process.env.DYNAMODB_ENDPOINT ?? `http://127.0.0.1:${LOCAL_DEFAULTS.dynamoDbPort}`,
    ),
    tableName: process.env.TABLE_NAME ?? LOCAL_DEFAULTS.tableName,
  };
  const logger = createLogger({ service: 'mail-redrive' });
  const local = localApplication({ table, stateDir: STATE_DIR, logger, persistSchedules: false });
  const handler = createInboundMailHandler(() => local.app.mailIntake.intake(), logger);
  const results = await failedMailFolder(STATE_DIR).redrive((event) => handler(event), options);
  for (const result of results) {
    console.log(`${result.outcome.padEnd(13)} ${result.file}${result.error ? `  ${result.error}` : ''}`);
  }
  const failed = results.filter((r) => r.outcome === 'failed' || r.outcome === 'unreadable').length;
  console.log(
    `${results.length} kept, ${results.length - failed} ${options.dryRun ? 'to re-drive' : 're-driven'}, ${failed} failed`,
  );
  table.client.destroy();
  return failed > 0 ? 1 : 0;
}
