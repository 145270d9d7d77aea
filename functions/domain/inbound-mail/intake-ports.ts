import type { Actor } from '../access/actor';
import type { Contact, CreateContactInput } from '../customers/contact';
import type { Page, PageRequest } from '../shared/entity';
import type { Claim, WriteEffects } from '../shared/ports';
import type { AttachmentStore } from '../work-orders/attachments';
import type { WorkOrderRepository } from '../work-orders/ports';
import type { Decision, InboundMail } from './inbound-mail';
import type { PatternMatcher } from './intake-rules';
import type { Mailbox } from './mailbox';
import type { ParsedMessage, UnparseableMessage } from './message';
import type { ReplyTokens, ThreadLookups } from './threading';

/** Which mailbox an envelope recipient reaches, before the tenant is known. */
export interface MailboxDirectory {
  byAddress(address: string): Promise<Mailbox | undefined>;
}

/** The raw mails as received: the mail bucket in AWS (SES's S3 action), a folder locally. */
export interface RawMailStore {
  /** The raw mail of a receipt; fails if it is not there (yet). */
  read(receiptId: string): Promise<Uint8Array>;
}

export interface InboundMailFilter {
  mailboxId?: string;
  decision?: Decision;
}

/** Decision records, and the claims that make each mail take effect once. */
export interface InboundMailStore {
  get(tenantId: string, id: string): Promise<InboundMail | undefined>;
  /** Newest first. */
  list(tenantId: string, filter: InboundMailFilter, page: PageRequest): Promise<Page<InboundMail>>;
  /** What a once-claim refers to when it is taken (`''` when it refers to nothing), else undefined. */
  claimed(tenantId: string, scope: string, key: string): Promise<string | undefined>;
  /** A decision that changed no work order, with its claims and event in one transaction. */
  record(mail: InboundMail, effects: WriteEffects): Promise<void>;
  /** The record after its acknowledgement went out (or not). */
  update(previous: InboundMail, next: InboundMail, effects?: WriteEffects): Promise<void>;
}

/** What mail intake works with; built by the composition root. */
export interface IntakePorts {
  mailboxes: MailboxDirectory;
  rawMails: RawMailStore;
  parse(raw: Uint8Array): Promise<ParsedMessage | UnparseableMessage>;
  store: InboundMailStore;
  workOrders: Pick<WorkOrderRepository, 'get'>;
  threads: ThreadLookups;
  tokens: ReplyTokens;
  contacts: {
    get(tenantId: string, id: string): Promise<Contact | undefined>;
    byEmail(tenantId: string, email: string): Promise<Contact[]>;
    create(actor: Actor, input: CreateContactInput, claims: readonly Claim[]): Promise<Contact>;
  };
  attachments: AttachmentStore;
  matcher: PatternMatcher;
  /** A stable digest of a text (sha-256, hex): the key of a mail without a Message-ID. */
  digest(text: string): string;
}
