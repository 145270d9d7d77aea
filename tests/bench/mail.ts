import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import type { TableContext } from '../../functions/adapters/dynamodb/client';
import { createInboundMailHandler } from '../../functions/handlers/mail/inbound-mail';
import { createLogger } from '../../functions/shared/logger';
import { startSmtpIntake } from '../../local/mail/smtp-intake';
import { localApplication } from '../../local/mail/work-order-actions';
import { corpusMail, envelopeSender, mailCorpus } from '../helpers/mail-corpus';
import type { meter } from './dynamodb-meter';
import { transactionsPerSecond } from './transaction-ceiling';

const GENERATED = 500;

interface Run {
  label: string;
  mails: number;
  seconds: number;
  latencies: number[];
  decided: number;
  roundTrips: number;
}

function generated(i: number, to: string): { raw: string; from: string } {
  const from = `customer${i % 100}@generated.example`;
  const raw = [
    `From: Customer ${i} <${from}>`,
    `To: ${to}`,
    `Subject: Heating fault number ${i}`,
    `Message-ID: <gen-${i}-${Date.now()}@generated.example>`,
    'Date: Wed, 02 Dec 2026 08:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `The boiler in building ${i} shows error E${i % 50}. Please send someone.`,
    '',
  ].join('\r\n');
  return { raw, from };
}

const percentile = (sorted: number[], q: number) =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);

/**
 * Mail intake on DynamoDB Local: mails per second and latency from SMTP
 * accept (the raw mail stored, 250 answered) to the decision stored and
 * acknowledged, with 1 and 4 concurrent senders, over the shared corpus and
 * over generated plain mails; DynamoDB round trips per mail; mails lost.
 */
export async function mailBench(table: TableContext, m: ReturnType<typeof meter>): Promise<string[]> {
  const stateDir = mkdtempSync(join(tmpdir(), 'bench-mail-'));
  const quiet = createLogger({}, () => undefined);
  const local = localApplication({ table, stateDir, logger: quiet, persistSchedules: false });
  const app = local.app;
  /** Each run mails its own tenant, so every run is a first delivery of its mails. */
  const mailboxOf = async (run: number) => {
    const tenantId = `bench-mail-${run}`;
    const address = `service@run${run}.bench-mail.example`;
    await app.masterData.tenants.create({
      id: tenantId,
      name: `Bench mail ${run}`,
      admin: { id: 'admin', name: 'Admin', email: `admin@run${run}.bench-mail.example` },
    });
    await app.mailIntake.mailboxes.create(
      { tenantId, userId: 'admin', roles: ['crm-admin'] },
      { address, newWorkOrdersPerSenderPerHour: 1000, acknowledgementsPerSenderPerHour: 100 },
    );
    return address;
  };
  const handler = createInboundMailHandler(() => app.mailIntake.intake(), quiet);
  const acceptedAt = new Map<string, number>();
  const latencies: number[] = [];
  let decided = 0;
  let failed = 0;
  const smtp = await startSmtpIntake({
    port: 0,
    isMailbox: (address) => app.mailIntake.isMailbox(address),
    store: async (receiptId, raw) => {
      await local.mailFolder.store(receiptId, raw);
      acceptedAt.set(receiptId, performance.now());
    },
    deliver: async (event) => {
      await handler(event);
      const receiptId = event.Records[0]?.ses.mail.messageId as string;
      latencies.push((performance.now() - (acceptedAt.get(receiptId) as number)) / 1000);
      decided++;
    },
    failed: async () => {
      failed++;
    },
    logger: quiet,
  });

  let runs = 0;
  const run = async (
    label: string,
    mails: (to: string) => { raw: string | Uint8Array; from: string }[],
    senders: number,
    /** Each mail sent once the one before it is decided: the latency of a mail alone, without a queue. */
    oneAtATime = false,
  ): Promise<Run> => {
    const to = await mailboxOf(++runs);
    const batch = mails(to);
    latencies.length = 0;
    decided = 0;
    m.reset();
    const transports = Array.from({ length: senders }, () =>
      createTransport({
        host: '127.0.0.1',
        port: smtp.port,
        secure: false,
        ignoreTLS: true,
        pool: true,
        maxConnections: 1,
      }),
    );
    const started = performance.now();
    let next = 0;
    await Promise.all(
      transports.map(async (transport) => {
        while (next < batch.length) {
          const mail = batch[next++] as { raw: string | Uint8Array; from: string };
          await transport.sendMail({
            envelope: { from: mail.from, to },
            raw: typeof mail.raw === 'string' ? mail.raw : Buffer.from(mail.raw),
          });
          if (oneAtATime) await smtp.idle();
        }
      }),
    );
    await smtp.idle();
    const seconds = (performance.now() - started) / 1000;
    for (const transport of transports) transport.close();
    return {
      label,
      mails: batch.length,
      seconds,
      latencies: [...latencies].sort((a, b) => a - b),
      decided,
      roundTrips: m.read().roundTrips,
    };
  };

  const corpus = () =>
    mailCorpus().map((entry) => {
      const raw = corpusMail(entry.file);
      return { raw, from: envelopeSender(raw) };
    });
  const plain = (to: string) => Array.from({ length: GENERATED }, (_, i) => generated(i, to));
  const results: Run[] = [];
  results.push(await run('corpus, one at a time', corpus, 1, true));
  results.push(await run('corpus, 1 sender', corpus, 1));
  results.push(await run('corpus, 4 senders', corpus, 4));
  results.push(await run(`${GENERATED} plain, 1 sender`, plain, 1));
  results.push(await run(`${GENERATED} plain, 4 senders`, plain, 4));
  await smtp.stop();
  rmSync(stateDir, { recursive: true, force: true });
  // A new plain mail commits one transaction of 10 items (work order, claims, record, events) and, for its
  // acknowledgement, two of 2 (claim with quota; record with the sent Message-ID).
  const [large, small] = [await transactionsPerSecond(table, 10), await transactionsPerSecond(table, 2)];
  const ceiling = 1 / (1 / large + 2 / small);

  const rows = [
    '## Mail intake on DynamoDB Local (SMTP on loopback → stored → decided and acknowledged)\n',
    '| run | mails | mails/s | p50 s | p99 s | max s | decided | lost | round trips / mail |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    rows.push(
      `| ${r.label} | ${r.mails} | ${(r.mails / r.seconds).toFixed(1)} | ${percentile(r.latencies, 0.5).toFixed(3)} | ${percentile(r.latencies, 0.99).toFixed(3)} | ${(r.latencies.at(-1) ?? 0).toFixed(3)} | ${r.decided} | ${r.mails - r.decided} | ${(r.roundTrips / r.mails).toFixed(1)} |`,
    );
  }
  rows.push(
    `\nFailed deliveries: ${failed}. Goals: ≥ 71 mails/s with 4 senders, p99 ≤ 0.25 s over the corpus, none lost. ` +
      'With senders that do not wait, SMTP accepts faster than mails are decided and the queue is part of the latency; ' +
      '"one at a time" is the latency of a mail alone.\n',
  );
  rows.push(
    `DynamoDB Local's own ceiling in this run, 4 writers: ${large.toFixed(0)} TransactWriteItems/s of 10 items, ` +
      `${small.toFixed(0)}/s of 2 (it runs transactions one at a time). A new plain mail needs one of 10 items ` +
      `and two of 2, so no caller can decide more than ${ceiling.toFixed(0)} plain mails/s on it; ` +
      `the 4-sender plain run reached ${(((results.at(-1)?.mails ?? 0) / (results.at(-1)?.seconds ?? 1) / ceiling) * 100).toFixed(0)} % of that.\n`,
  );
  return rows;
}
