import { createHash } from 'node:crypto';
import {
  DynamoAttachmentList,
  DynamoInboundMailStore,
  MailboxRepository,
} from '../adapters/dynamodb/repositories/mail-intake';
import { DynamoMailClaims } from '../adapters/dynamodb/repositories/work-order-actions';
import { WorkOrderTypeRepository } from '../adapters/dynamodb/repositories/work-order-setup';
import { DynamoWorkOrderRepository } from '../adapters/dynamodb/repositories/work-orders';
import { parseMail } from '../adapters/mail/parse-mail';
import { timedPatternMatcher } from '../adapters/mail/pattern-matcher';
import { contactRules } from '../domain/customers/contact';
import { Acknowledger } from '../domain/inbound-mail/acknowledge-mail';
import { InboundMailService } from '../domain/inbound-mail/inbound-mail-service';
import type { IntakePorts } from '../domain/inbound-mail/intake-ports';
import { mailboxRules } from '../domain/inbound-mail/mailbox';
import { MailboxService } from '../domain/inbound-mail/mailbox-service';
import { MailIntake } from '../domain/inbound-mail/receive-mail';
import { threadLookups } from '../domain/inbound-mail/thread-lookups';
import { ConflictError } from '../domain/shared/errors';
import { MasterDataService } from '../domain/shared/master-data-service';
import { WorkOrderAttachments } from '../domain/work-orders/attachments';
import type { WorkOrderService } from '../domain/work-orders/work-order-service';
import { type MasterDataRepositories, masterDataRepositories } from './master-data';
import { type Ports, requirePort } from './ports';
import { workOrderServices } from './work-orders';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Mail intake and its administration. The mail bucket and the reply tokens
 * are asked for when first used, so the mailbox API can be built without the
 * outbound mail port, and each function is given only what it calls.
 */
export function mailIntakeServices(
  ports: Ports,
  master: MasterDataRepositories = masterDataRepositories(ports),
) {
  const workOrders = new DynamoWorkOrderRepository(ports.table, ports.clock);
  const mailboxes = new MailboxRepository(ports.table, ports.clock);
  const store = new DynamoInboundMailStore(ports.table, ports.clock);
  const contacts = new MasterDataService(master.contacts, contactRules(master.accounts), ports);
  let useCases: WorkOrderService | undefined;
  const workOrderUseCases = () => (useCases ??= workOrderServices(ports, master).workOrders);
  const bucket = () => {
    // A region without SES receiving has no mail bucket: nothing was received there.
    if (!ports.mailBucket) throw new ConflictError('This region receives no mail: there is no stored mail');
    return ports.mailBucket;
  };
  const contactsByEmail = async (tenantId: string, email: string) =>
    (await master.contacts.byEmail(tenantId, email, { limit: 10 })).items;
  const tokens = () => requirePort(ports, 'replyTokens');
  const intakePorts: IntakePorts = {
    mailboxes,
    rawMails: { read: (receiptId) => bucket().read(receiptId) },
    parse: parseMail,
    store,
    workOrders,
    threads: threadLookups({
      messages: store,
      workOrders,
      contacts: { byEmail: contactsByEmail },
      digest: sha256,
    }),
    tokens: {
      sign: async (tenantId, workOrderId) => tokens().sign(tenantId, workOrderId),
      verify: async (tenantId, token) => tokens().verify(tenantId, token),
    },
    contacts: {
      get: (tenantId, id) => master.contacts.get(tenantId, id),
      byEmail: contactsByEmail,
      create: (actor, input, claims) => contacts.create(actor, input, claims),
    },
    attachments: {
      put: (key, content, mimeType) => bucket().put(key, content, mimeType),
      downloadUrl: (key, filename) => bucket().downloadUrl(key, filename),
    },
    matcher: timedPatternMatcher,
    digest: sha256,
  };
  const mailboxService = new MailboxService(
    mailboxes,
    mailboxRules({
      users: master.users,
      types: new WorkOrderTypeRepository(ports.table, ports.clock),
      ...(ports.mailDomain ? { mailDomain: ports.mailDomain } : {}),
    }),
    ports,
    intakePorts,
  );
  let intake: MailIntake | undefined;
  /** Built on first use: only the functions that decide mail send acknowledgements. */
  const intakeOnce = () =>
    (intake ??= new MailIntake(
      intakePorts,
      workOrderServices(ports, master).workOrders,
      new Acknowledger(
        {
          claims: new DynamoMailClaims(ports.table, ports.clock),
          mail: requirePort(ports, 'mail'),
          store,
          workOrders,
          tokens: intakePorts.tokens,
        },
        ports,
      ),
      ports,
    ));
  return {
    attachments: new WorkOrderAttachments(
      (principal, id) => workOrderUseCases().get(principal, id),
      new DynamoAttachmentList(ports.table),
      intakePorts.attachments,
    ),
    mailboxes: mailboxService,
    /** Whether an address is a mailbox of any tenant (the local SMTP intake refuses others at RCPT). */
    isMailbox: async (address: string) => (await mailboxes.byAddress(address)) !== undefined,
    inboundMails: new InboundMailService(
      { ...intakePorts, mailboxById: (tenantId, id) => mailboxes.get(tenantId, id) },
      intakeOnce,
    ),
    intake: intakeOnce,
  };
}

export type MailIntakeServices = ReturnType<typeof mailIntakeServices>;
