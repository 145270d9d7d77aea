import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../../../domain/shared/entity';
import { ConflictError, QuotaExceededError } from '../../../domain/shared/errors';
import type { QuotaClaim, WriteEffects } from '../../../domain/shared/ports';
import type { MailClaimState, MailClaims, MailTarget } from '../../../domain/work-orders/mail-once';
import type { TimelineReader } from '../../../domain/work-orders/ports';
import type { Reminder, ReminderRepository } from '../../../domain/work-orders/reminder';
import type { ServiceRecord } from '../../../domain/work-orders/service-record';
import type { WorkOrder } from '../../../domain/work-orders/work-order';
import type { Clock } from '../../../shared/clock';
import type { TableContext } from '../client';
import { addEffects, quotaUpdate } from '../effects';
import { keys } from '../keys';
import { toEntity } from '../master-data-store';
import { queryPage } from '../query';
import { Transaction } from '../transaction';
import { recordItem, requireLiveWorkOrder } from './work-orders';

/** Claims outlive every retry window (EventBridge 24 h, Lambda async 6 h), then TTL removes them. */
const MAIL_CLAIM_RETENTION_SECONDS = 7 * 24 * 3600;

class ReminderMovedOn extends Error {}

/**
 * Reminders live in their work order's item collection: deleting the work
 * order deletes them, and a reminder and its timeline record commit together.
 */
export class DynamoReminderRepository implements ReminderRepository {
  constructor(
    private readonly table: TableContext,
    private readonly clock: Clock,
  ) {}

  async create(
    workOrder: WorkOrder,
    reminder: Reminder,
    record: ServiceRecord,
    effects?: WriteEffects,
  ): Promise<void> {
    const tx = this.transaction();
    requireLiveWorkOrder(tx, workOrder);
    tx.put(
      this.item(reminder),
      'attribute_not_exists(pk)',
      () => new ConflictError(`Reminder ${reminder.id} already exists`),
    );
    tx.put(
      recordItem(workOrder, record),
      'attribute_not_exists(pk)',
      () => new ConflictError(`Service record ${record.id} already exists`),
    );
    addEffects(tx, workOrder.tenantId, effects, this.clock, { resourceType: 'Reminder', resource: reminder });
    await tx.commit();
  }

  async get(tenantId: string, workOrderId: string, id: string): Promise<Reminder | undefined> {
    const { Item } = await this.table.client.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: keys.reminder(tenantId, workOrderId, id),
        ConsistentRead: true,
      }),
    );
    return Item ? toEntity<Reminder>(Item) : undefined;
  }

  async list(tenantId: string, workOrderId: string, page: PageRequest): Promise<Page<Reminder>> {
    const { items, nextCursor } = await queryPage(
      this.table,
      keys.workOrderReminders(tenantId, workOrderId),
      page,
    );
    return { items: items.map((item) => toEntity<Reminder>(item)), ...(nextCursor ? { nextCursor } : {}) };
  }

  async transition(previous: Reminder, next: Reminder, record: ServiceRecord): Promise<boolean> {
    const tx = this.transaction();
    // Every change bumps the version, so "still at the version read" means "still scheduled".
    tx.put(this.item(next), 'version = :expected', () => new ReminderMovedOn(), {
      ':expected': previous.version,
    });
    tx.put(
      recordItem({ tenantId: next.tenantId, id: next.workOrderId }, record),
      'attribute_not_exists(pk)',
      () => new ConflictError(`Service record ${record.id} already exists`),
    );
    try {
      await tx.commit();
      return true;
    } catch (error) {
      if (error instanceof ReminderMovedOn) return false;
      throw error;
    }
  }

  private item(reminder: Reminder): Record<string, unknown> {
    return {
      ...(reminder as unknown as Record<string, unknown>),
      ...keys.reminder(reminder.tenantId, reminder.workOrderId, reminder.id),
      entityType: 'Reminder',
    };
  }

  private transaction() {
    return new Transaction(this.table.client, this.table.tableName);
  }
}

/** The claims of outgoing mails, in the work order's item collection, expiring by TTL. */
export class DynamoMailClaims implements MailClaims {
  constructor(
    private readonly table: TableContext,
    private readonly clock: Clock,
  ) {}

  async claim(target: MailTarget, leaseSeconds: number, quota?: QuotaClaim): Promise<MailClaimState> {
    const now = this.clock.now().getTime();
    const item = {
      ...claimKey(target),
      entityType: 'MailClaim',
      state: 'sending',
      claimedAt: new Date(now).toISOString(),
      leaseUntil: now + leaseSeconds * 1000,
      expiresAt: Math.floor(now / 1000) + MAIL_CLAIM_RETENTION_SECONDS,
    };
    const condition = 'attribute_not_exists(pk) OR (#state = :sending AND leaseUntil < :now)';
    const values = { ':sending': 'sending', ':now': now };
    try {
      if (quota) {
        // The quota's use and the claim in one write: a mail that is not sent uses no quota.
        await new Transaction(this.table.client, this.table.tableName)
          .update(...quotaUpdate(target.tenantId, quota, new Date(now)))
          .put(item, condition, () => new ClaimHeld(), values, { '#state': 'state' })
          .commit();
      } else {
        await this.table.client.send(
          new PutCommand({
            TableName: this.table.tableName,
            Item: item,
            ConditionExpression: condition,
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: values,
          }),
        );
      }
      return 'claimed';
    } catch (error) {
      if (error instanceof QuotaExceededError) return 'over-quota';
      if (!(error instanceof ConditionalCheckFailedException || error instanceof ClaimHeld)) throw error;
      const { Item } = await this.table.client.send(
        new GetCommand({
          TableName: this.table.tableName,
          Key: claimKey(target),
          ConsistentRead: true,
        }),
      );
      return Item?.state === 'sent' ? 'sent' : 'busy';
    }
  }

  async isSent(target: MailTarget): Promise<boolean> {
    const { Item } = await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key: claimKey(target), ConsistentRead: true }),
    );
    return Item?.state === 'sent';
  }

  async complete(target: MailTarget, messageId: string): Promise<void> {
    await this.table.client.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: claimKey(target),
        UpdateExpression: 'SET #state = :sent, messageId = :messageId, sentAt = :at REMOVE leaseUntil',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':messageId': messageId,
          ':at': this.clock.now().toISOString(),
        },
      }),
    );
  }

  async release(target: MailTarget): Promise<void> {
    await this.table.client.send(
      new DeleteCommand({
        TableName: this.table.tableName,
        Key: claimKey(target),
        ConditionExpression: '#state = :sending',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':sending': 'sending' },
      }),
    );
  }
}

/** The mail's claim is held (sending or sent): what the transaction's condition failure means. */
class ClaimHeld extends Error {}

const claimKey = ({ tenantId, workOrderId, purpose }: MailTarget) =>
  keys.mailClaim(tenantId, workOrderId, purpose);

/** The latest timeline entries: the records' sort key is their time, so a backwards Query. */
export class DynamoTimeline implements TimelineReader {
  constructor(private readonly table: TableContext) {}

  async recent(tenantId: string, workOrderId: string, limit: number): Promise<ServiceRecord[]> {
    const { pk, skPrefix } = keys.workOrderRecords(tenantId, workOrderId);
    const { Items = [] } = await this.table.client.send(
      new QueryCommand({
        TableName: this.table.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return Items.map((item) => toEntity<ServiceRecord>(item));
  }
}
