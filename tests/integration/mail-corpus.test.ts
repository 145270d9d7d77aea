import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InboundMail, WORK_ORDER_DECISIONS } from '../../functions/domain/inbound-mail/inbound-mail';
import { corpusMail, envelopeSender, mailCorpus } from '../helpers/mail-corpus';
import { type MailStack, startMailStack } from '../helpers/mail-stack';

/*
 * Every mail of the shared corpus through the real SMTP intake on loopback,
 * one at a time, each checked against its `expect` in manifest.json.
 */

const TENANT = 'corpus';
const MAILBOX = 'service@corpus.example';
/** Decisions that opened a work order (appending to one is no new work order). */
const OPENS_WORK_ORDER = new Set(['created', 'reopened', 'linked-new']);

let stack: MailStack;
let mailboxId: string;
const outcomes: { file: string; expect: string; decision: InboundMail; replies: number }[] = [];

beforeAll(async () => {
  stack = await startMailStack();
  await stack.api.createTenant(TENANT);
  const created = await stack.api.request<{ id: string }>('POST', '/mailboxes', {
    token: stack.api.token(TENANT, 'admin', 'crm-admin'),
    body: { address: MAILBOX, unknownSenders: 'create-contact' },
  });
  mailboxId = created.body.id;
  for (const [index, entry] of mailCorpus().entries()) {
    const raw = corpusMail(entry.file);
    const sentBefore = stack.outbox().length;
    await stack.send(Buffer.from(raw), { from: envelopeSender(raw), to: MAILBOX });
    await stack.awaitDecisions(TENANT, mailboxId, index + 1);
    // The delivery ends after the acknowledgement; the record then says what became of it.
    await stack.smtp.idle();
    const [decision] = (await stack.decisions(TENANT, mailboxId)) as [InboundMail];
    expect(decision.receiptId).toBeDefined();
    outcomes.push({
      file: entry.file,
      expect: entry.expect,
      decision,
      replies: stack.outbox().length - sentBefore,
    });
  }
}, 300_000);

afterAll(async () => {
  await stack?.close();
});

describe('the shared mail corpus through the SMTP intake', () => {
  it('decides every mail, and no delivery fails', () => {
    expect(outcomes).toHaveLength(mailCorpus().length);
    expect(readdirSync(stack.stateDir)).not.toContain('mail-failed');
  });

  it('neither answers nor opens a work order for any mail that must get no automatic reply', () => {
    const wrong = outcomes
      .filter((o) => o.expect === 'no-auto-reply')
      .filter((o) => o.replies > 0 || OPENS_WORK_ORDER.has(o.decision.decision))
      .map((o) => `${o.file}: ${o.decision.decision} (${o.decision.reason}), ${o.replies} sent`);
    expect(wrong).toEqual([]);
  });

  it('creates or updates exactly one work order for every mail of a person', () => {
    const wrong = outcomes
      .filter((o) => o.expect === 'work-order')
      .filter((o) => !WORK_ORDER_DECISIONS.includes(o.decision.decision) || !o.decision.workOrderId)
      .map((o) => `${o.file}: ${o.decision.decision} (${o.decision.reason})`);
    expect(wrong).toEqual([]);
  });

  it('acknowledges each new work order once, to its sender', () => {
    const created = outcomes.filter((o) => o.decision.decision === 'created');
    expect(created.length).toBeGreaterThan(10);
    for (const o of created) {
      expect(o.decision.acknowledgement?.outcome, o.file).toBe('sent');
      expect(o.replies, o.file).toBe(1);
    }
  });
});
