import { BatchGetCommand, type BatchGetCommandOutput, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { InboundMail } from '../../../domain/inbound-mail/inbound-mail';
import type {
  InboundMailFilter,
  InboundMailStore,
  MailboxDirectory,
} from '../../../domain/inbound-mail/intake-ports';
import type { Mailbox } from '../../../domain/inbound-mail/mailbox';
import type { Page, PageRequest } from '../../../domain/shared/entity';
import { ConflictError, VersionConflictError } from '../../../domain/shared/errors';
import type { WriteEffects } from '../../../domain/shared/ports';
import type { AttachmentList, WorkOrderAttachment } from '../../../domain/work-orders/attachments';
import type { Clock } from '../../../shared/clock';
import { readClaim } from '../claim-lookup';
import type { TableContext } from '../client';
import { inboundMailItem } from '../companions';
import { addEffects } from '../effects';
import { keys } from '../keys';
import { MasterDataStore, toEntity } from '../master-data-store';
import { queryAll, queryPage } from '../query';
import { Transaction } from '../transaction';

/**
 * Mailboxes in the tenant partition, and for each address the routing item
 * that maps it to its tenant before the tenant is known. The routing item is
 * written with the mailbox, so an address belongs to one mailbox of one tenant.
 */
export class MailboxRepository extends MasterDataStore<Mailbox> implements MailboxDirectory {
  constructor(table: TableContext, clock: Clock) {
    super(table, { resource: 'Mailbox', type: 'MAILBOX' }, clock);
  }

  async byAddress(address: string): Promise<Mailbox | undefined> {
    const { Item } = await this.table.client.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: keys.mailboxRoute(address.toLowerCase()),
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    // The route carries the mailbox as its last change wrote it: one read routes a mail.
    const mailbox =
      Item.mailbox && typeof Item.mailbox === 'object'
        ? (Item.mailbox as Mailbox)
        : await this.get(String(Item.tenantId), String(Item.mailboxId));
    // A route whose mailbox moved on to another address in between is no route.
    return mailbox?.address === address.toLowerCase() ? mailbox : undefined;
  }

  protected override addExtraWrites(tx: Transaction, previous?: Mailbox, next?: Mailbox): void {
    const moved = previous?.address !== next?.address;
    if (previous && moved) {
      tx.delete(
        keys.mailboxRoute(previous.address),
        'mailboxId = :id',
        () => new VersionConflictError('Mailbox', previous.id, previous.version),
        { ':id': previous.id },
      );
    }
    if (next) {
      tx.put(
        {
          ...keys.mailboxRoute(next.address),
          entityType: 'MailboxRoute',
          tenantId: next.tenantId,
          mailboxId: next.id,
          mailbox: next,
        },
        moved ? 'attribute_not_exists(pk)' : 'mailboxId = :id',
        () =>
          moved
            ? new ConflictError(`address ${next.address} is already used by another mailbox`, {
                field: 'address',
              })
            : new VersionConflictError('Mailbox', next.id, next.version - 1),
        moved ? undefined : { ':id': next.id },
      );
    }
  }
}

/** Decision records, and the once-claims mail intake reads before it decides. */
export class DynamoInboundMailStore implements InboundMailStore {
  constructor(
    private readonly table: TableContext,
    private readonly clock: Clock,
  ) {}

  async get(tenantId: string, id: string): Promise<InboundMail | undefined> {
    const { Item } = await this.table.client.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: keys.inboundMail(tenantId, id),
        ConsistentRead: true,
      }),
    );
    return Item ? toEntity<InboundMail>(Item) : undefined;
  }

  async list(tenantId: string, filter: InboundMailFilter, page: PageRequest): Promise<Page<InboundMail>> {
    const query = filter.mailboxId
      ? keys.inboundMailsOfMailbox(tenantId, filter.mailboxId)
      : filter.decision
        ? keys.inboundMailsByDecision(tenantId, filter.decision)
        : keys.inboundMails(tenantId);
    const { items, nextCursor } = await queryPage(this.table, query, page, { newestFirst: true });
    let mails = items.map((item) => toEntity<InboundMail>(item));
    // Both filters: the mailbox's index, the decision checked here (a page may hold fewer than `limit`).
    if (filter.mailboxId && filter.decision)
      mails = mails.filter((mail) => mail.decision === filter.decision);
    return { items: mails, nextCursor };
  }

  claimed(tenantId: string, scope: string, key: string): Promise<string | undefined> {
    return readClaim(this.table, tenantId, scope, key);
  }

  async record(mail: InboundMail, effects: WriteEffects): Promise<void> {
    const tx = new Transaction(this.table.client, this.table.tableName);
    tx.put(
      inboundMailItem(mail),
      'attribute_not_exists(pk)',
      () => new ConflictError(`Inbound mail ${mail.id} exists`),
    );
    addEffects(tx, mail.tenantId, effects, this.clock);
    await tx.commit();
  }

  async update(previous: InboundMail, next: InboundMail, effects?: WriteEffects): Promise<void> {
    const tx = new Transaction(this.table.client, this.table.tableName);
    tx.put(
      inboundMailItem(next),
      'version = :expected',
      () => new VersionConflictError('InboundMail', previous.id, previous.version),
      { ':expected': previous.version },
    );
    addEffects(tx, next.tenantId, effects, this.clock);
    await tx.commit();
  }

  /**
   * For each Message-ID whose claim (in any of the scopes) names a work
   * order, that work order: one BatchGet for up to 100 keys.
   */
  async workOrdersOfMessages(
    tenantId: string,
    ids: string[],
    scopes: string[],
  ): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const all = ids.flatMap((id) => scopes.map((scope) => keys.claim(tenantId, scope, id)));
    for (let start = 0; start < all.length; start += 100) {
      let pending: Record<string, unknown>[] | undefined = all
        .slice(start, start + 100)
        .map(({ pk, sk }) => ({ pk, sk }));
      for (let round = 0; pending && pending.length > 0 && round < 5; round++) {
        const response: BatchGetCommandOutput = await this.table.client.send(
          new BatchGetCommand({
            RequestItems: {
              [this.table.tableName]: {
                Keys: pending,
                ProjectionExpression: 'sk, refersTo',
                ConsistentRead: true,
              },
            },
          }),
        );
        for (const item of response.Responses?.[this.table.tableName] ?? []) {
          if (item.refersTo) found.set(String(item.sk), String(item.refersTo));
        }
        pending = response.UnprocessedKeys?.[this.table.tableName]?.Keys;
      }
    }
    return found;
  }
}

/** The attachments listed on work orders, in each work order's item collection. */
export class DynamoAttachmentList implements AttachmentList {
  constructor(private readonly table: TableContext) {}

  async ofWorkOrder(tenantId: string, workOrderId: string): Promise<WorkOrderAttachment[]> {
    const items = await queryAll(this.table, keys.workOrderAttachments(tenantId, workOrderId));
    return items.map((item) => toEntity<WorkOrderAttachment>(item));
  }

  async get(tenantId: string, workOrderId: string, id: string): Promise<WorkOrderAttachment | undefined> {
    const { Item } = await this.table.client.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: keys.workOrderAttachment(tenantId, workOrderId, id),
      }),
    );
    return Item ? toEntity<WorkOrderAttachment>(Item) : undefined;
  }
}
