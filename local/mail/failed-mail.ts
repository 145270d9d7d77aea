import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type SesMailEvent, sesMailEvent } from '../../functions/handlers/mail/ses-event';

/**
 * The inbound handler's on-failure destination on this machine: one JSON
 * file per failed delivery, holding the event as Lambda's destination record
 * holds `requestPayload`. `npm run mail:redrive -- --local` hands them back.
 */
export class FailedMailFolder {
  constructor(readonly dir: string) {}

  async keep(event: SesMailEvent, error: unknown): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const receiptId = event.Records[0]?.ses.mail.messageId ?? 'unknown';
    const record = {
      requestPayload: event,
      responsePayload: { errorMessage: error instanceof Error ? error.message : String(error) },
      timestamp: new Date().toISOString(),
    };
    await writeFile(join(this.dir, `${receiptId}.json`), JSON.stringify(record, null, 2));
  }

  /**
   * Hands every kept event to `deliver` again; one that goes through is
   * removed, one that fails again stays. Safe to repeat: the handler takes
   * each SES messageId once.
   */
  async redrive(
    deliver: (event: SesMailEvent) => Promise<unknown>,
    options: { dryRun?: boolean } = {},
  ): Promise<
    { file: string; outcome: 'redriven' | 'failed' | 'unreadable' | 'would-redrive'; error?: string }[]
  > {
    const files = (await readdir(this.dir).catch(() => [] as string[]))
      .filter((f) => f.endsWith('.json'))
      .sort();
    const results = [];
    for (const file of files) {
      const path = join(this.dir, file);
      const parsed = sesMailEvent.safeParse(
        (JSON.parse(await readFile(path, 'utf8').catch(() => '{}')) as { requestPayload?: unknown })
          .requestPayload,
      );
      if (!parsed.success) {
        results.push({ file, outcome: 'unreadable' as const });
        continue;
      }
      if (options.dryRun) {
        results.push({ file, outcome: 'would-redrive' as const });
        continue;
      }
      try {
        await deliver(parsed.data);
        await rm(path);
        results.push({ file, outcome: 'redriven' as const });
      } catch (error) {
        results.push({ file, outcome: 'failed' as const, error: String(error) });
      }
    }
    return results;
  }
}
