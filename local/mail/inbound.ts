import { join } from 'node:path';
import { createInboundMailHandler } from '../../functions/handlers/mail/inbound-mail';
import type { FunctionLogger } from '../../functions/shared/logger';
import { FailedMailFolder } from './failed-mail';
import { type SmtpIntake, startSmtpIntake } from './smtp-intake';
import type { LocalApplication } from './work-order-actions';

/** Where failed deliveries wait for `npm run mail:redrive -- --local`. */
export const failedMailFolder = (stateDir: string) => new FailedMailFolder(join(stateDir, 'mail-failed'));

/**
 * The inbound mail flow of `npm start`: the SMTP intake in front of the same
 * handler SES invokes in AWS, the raw mail in the local mail bucket, failures
 * kept for re-drive.
 */
export function startLocalMailIntake(
  local: LocalApplication,
  options: { port: number; host?: string; stateDir: string; logger: FunctionLogger },
): Promise<SmtpIntake> {
  const handler = createInboundMailHandler(() => local.app.mailIntake.intake(), options.logger);
  const failed = failedMailFolder(options.stateDir);
  return startSmtpIntake({
    port: options.port,
    ...(options.host ? { host: options.host } : {}),
    isMailbox: (address) => local.app.mailIntake.isMailbox(address),
    store: (receiptId, raw) => local.mailFolder.store(receiptId, raw),
    deliver: (event) => handler(event),
    failed: (event, error) => failed.keep(event, error),
    logger: options.logger,
    now: () => local.clock.now(),
  });
}
