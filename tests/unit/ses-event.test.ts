import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envelopeOf, sesEventOf, sesMailEvent } from '../../functions/handlers/mail/ses-event';
import { FailedMailFolder } from '../../local/mail/failed-mail';

const EVENTS = join(__dirname, '../../events/ses');
const read = (file: string) => JSON.parse(readFileSync(join(EVENTS, file), 'utf8'));
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the SES receipt event', () => {
  it.each(readdirSync(EVENTS).filter((f) => f.endsWith('.json')))(
    '%s parses, and its raw mail is beside it',
    (file) => {
      const event = sesMailEvent.parse(read(file));
      const id = event.Records[0]?.ses.mail.messageId as string;
      expect(readdirSync(EVENTS)).toContain(`${id}.eml`);
    },
  );

  it('gives the envelope: lowercased recipients, the verdicts, the null sender as empty', () => {
    const event = read('spam-fail.json');
    event.Records[0].ses.mail.source = '<>';
    event.Records[0].ses.receipt.recipients = ['Service+Token@Service.Example.EU'];
    const envelope = envelopeOf(sesMailEvent.parse(event).Records[0] as never);
    expect(envelope).toMatchObject({
      recipients: ['service+token@service.example.eu'],
      mailFrom: '',
      verdicts: { spam: 'FAIL', virus: 'PASS' },
    });
    expect(read('virus-fail.json').Records[0].ses.receipt.virusVerdict.status).toBe('FAIL');
  });

  it('round-trips through the shape the local SMTP intake builds', () => {
    const envelope = envelopeOf(sesMailEvent.parse(read('plain.json')).Records[0] as never);
    expect(envelopeOf(sesMailEvent.parse(sesEventOf(envelope)).Records[0] as never)).toEqual(envelope);
  });

  it('refuses what is not an SES receipt, naming the field', () => {
    const event = read('plain.json');
    event.Records[0].ses.mail.messageId = '../../etc/passwd';
    const result = sesMailEvent.safeParse(event);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path.join('.')).toBe('Records.0.ses.mail.messageId');
    expect(sesMailEvent.safeParse({ Records: [] }).success).toBe(false);
  });
});

describe('failed deliveries kept locally', () => {
  it('are handed back by a re-drive; one that fails again stays for the next', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'failed-mail-'));
    dirs.push(dir);
    const folder = new FailedMailFolder(dir);
    const ok = sesMailEvent.parse(read('plain.json'));
    const bad = sesMailEvent.parse(read('spam-fail.json'));
    await folder.keep(ok, new Error('table unavailable'));
    await folder.keep(bad, new Error('table unavailable'));
    expect(await folder.redrive(async () => undefined, { dryRun: true })).toHaveLength(2);
    expect(readdirSync(dir)).toHaveLength(2);
    const delivered: string[] = [];
    const results = await folder.redrive(async (event) => {
      const id = event.Records[0]?.ses.mail.messageId as string;
      if (event.Records[0]?.ses.receipt.spamVerdict?.status === 'FAIL') throw new Error('still failing');
      delivered.push(id);
    });
    expect(results.map((r) => r.outcome).sort()).toEqual(['failed', 'redriven']);
    expect(delivered).toEqual([ok.Records[0]?.ses.mail.messageId]);
    expect(readdirSync(dir)).toEqual([`${bad.Records[0]?.ses.mail.messageId}.json`]);
  });
});
