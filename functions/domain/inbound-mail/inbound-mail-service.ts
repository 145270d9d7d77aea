import type { Actor } from '../access/actor';
import { authorize } from '../access/permissions';
import { type Page, type PageRequest, pageRequest } from '../shared/entity';
import { NotFoundError } from '../shared/errors';
import { type InboundMail, WORK_ORDER_DECISIONS } from './inbound-mail';
import type { InboundMailFilter, IntakePorts } from './intake-ports';
import type { Mailbox } from './mailbox';
import type { MailIntake } from './receive-mail';

export interface ReplayResult {
  /** The record replayed, and the decision it had. */
  replayed: { id: string; decision: InboundMail['decision'] };
  /** The new record; the same one when this record was replayed before. */
  mail: InboundMail;
  changed: boolean;
  /** What changed, in a sentence. */
  summary: string;
}

/** The decision records of inbound mail, for CRM admins: list, trace, raw mail, replay. */
export class InboundMailService {
  constructor(
    private readonly ports: Pick<IntakePorts, 'store' | 'rawMails' | 'mailboxes'> & {
      mailboxById(tenantId: string, id: string): Promise<Mailbox | undefined>;
    },
    private readonly intake: () => MailIntake,
  ) {}

  list(actor: Actor, filter: InboundMailFilter, page: Partial<PageRequest>): Promise<Page<InboundMail>> {
    authorize(actor, 'inbound-mail:read');
    return this.ports.store.list(actor.tenantId, filter, pageRequest(page));
  }

  async get(actor: Actor, id: string): Promise<InboundMail> {
    authorize(actor, 'inbound-mail:read');
    const mail = await this.ports.store.get(actor.tenantId, id);
    if (!mail) throw new NotFoundError('InboundMail', id);
    return mail;
  }

  /** The mail as received, byte for byte. */
  async raw(actor: Actor, id: string): Promise<Uint8Array> {
    const mail = await this.get(actor, id);
    return this.ports.rawMails.read(mail.receiptId);
  }

  async replay(actor: Actor, id: string): Promise<ReplayResult> {
    authorize(actor, 'mailbox:write');
    const previous = await this.get(actor, id);
    // What changed a work order (or repeated a mail that did) is done: replaying it would do it twice.
    if (WORK_ORDER_DECISIONS.includes(previous.decision) || previous.decision === 'ignored-duplicate') {
      return {
        replayed: { id: previous.id, decision: previous.decision },
        mail: previous,
        changed: false,
        summary: `Already ${previous.decision}${previous.workOrderNumber ? ` (${previous.workOrderNumber})` : ''}; a replay changes nothing`,
      };
    }
    const mailbox = await this.ports.mailboxById(actor.tenantId, previous.mailboxId);
    if (!mailbox) throw new NotFoundError('Mailbox', previous.mailboxId);
    const result = await this.intake().replay(mailbox, previous);
    if (result.outcome === 'no-mailbox') throw new NotFoundError('Mailbox', previous.mailboxId);
    const { mail } = result;
    const changed = mail.decision !== previous.decision || mail.workOrderId !== previous.workOrderId;
    return {
      replayed: { id: previous.id, decision: previous.decision },
      mail,
      changed,
      summary: changed
        ? `${previous.decision} → ${mail.decision}${mail.workOrderNumber ? ` (${mail.workOrderNumber})` : ''}: ${mail.reason}`
        : `Still ${mail.decision}: ${mail.reason}`,
    };
  }
}
