import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Entity, Page, PageRequest } from '../../domain/shared/entity';
import { ConflictError, VersionConflictError } from '../../domain/shared/errors';
import type { Repository, WriteEffects } from '../../domain/shared/ports';
import type { Clock } from '../../shared/clock';
import type { TableContext } from './client';
import { addEffects } from './effects';
import { type IndexKeys, KEY_ATTRIBUTES, keys, type MasterDataType } from './keys';
import { type KeyQuery, queryPage } from './query';
import { Transaction } from './transaction';

/** A value that must be unique in the tenant, guarded by its own item. */
export interface UniqueValue {
  scope: string;
  value: string;
  /** The field named in the 409 when the value is taken. */
  field: string;
}

export interface MasterDataMapping<T extends Entity> {
  /** Name in errors and `entityType` on the item, e.g. `Account`. */
  resource: string;
  type: MasterDataType;
  indexKeys?: (entity: T) => IndexKeys;
  uniqueValues?: (entity: T) => UniqueValue[];
}

export function toEntity<T>(item: Record<string, unknown>): T {
  const entity: Record<string, unknown> = { ...item };
  for (const attribute of KEY_ATTRIBUTES) delete entity[attribute];
  return entity as T;
}

/**
 * The storage mechanics every master-data repository shares: items in the
 * tenant partition, unique-value guards, optimistic locking, and effects
 * (outbox events, idempotency claim) in the same transaction.
 */
export class MasterDataStore<T extends Entity> implements Repository<T> {
  constructor(
    protected readonly table: TableContext,
    protected readonly mapping: MasterDataMapping<T>,
    protected readonly clock: Clock,
  ) {}

  async get(tenantId: string, id: string): Promise<T | undefined> {
    const { Item } = await this.table.client.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: keys.masterData(tenantId, this.mapping.type, id),
        ConsistentRead: true,
      }),
    );
    return Item ? toEntity<T>(Item) : undefined;
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<T>> {
    return this.queryEntities(keys.masterDataList(tenantId, this.mapping.type), page);
  }

  /** Items of this type found by a key condition (e.g. the contacts of an account, on an index). */
  protected async queryEntities(query: KeyQuery, page: PageRequest): Promise<Page<T>> {
    const { items, nextCursor } = await queryPage(this.table, query, page);
    return { items: items.map((item) => toEntity<T>(item)), nextCursor };
  }

  /** Whether an index query finds at least one item (e.g. a department's members). */
  protected async anyInIndex(query: KeyQuery): Promise<boolean> {
    const page = await queryPage(this.table, query, { limit: 1 });
    return page.items.length > 0;
  }

  async create(entity: T, effects?: WriteEffects): Promise<void> {
    const tx = this.transaction();
    this.addCreate(tx, entity);
    addEffects(tx, entity.tenantId, effects, this.clock, {
      resourceType: this.mapping.resource,
      resource: entity,
    });
    await tx.commit();
  }

  /** Adds the writes that create the entity to a transaction another repository commits. */
  addCreate(tx: Transaction, entity: T): void {
    tx.put(
      this.toItem(entity),
      'attribute_not_exists(pk)',
      () => new ConflictError(`${this.mapping.resource} ${entity.id} already exists`),
    );
    for (const unique of this.uniqueValues(entity)) this.putUnique(tx, entity, unique);
    this.addExtraWrites(tx, undefined, entity);
  }

  async update(previous: T, next: T, effects?: WriteEffects): Promise<void> {
    const tx = this.transaction();
    tx.put(this.toItem(next), 'version = :expected', () => this.versionConflict(previous), {
      ':expected': previous.version,
    });
    const before = this.uniqueValues(previous);
    const after = this.uniqueValues(next);
    const same = (a: UniqueValue, b: UniqueValue) => a.scope === b.scope && a.value === b.value;
    for (const unique of after.filter((u) => !before.some((b) => same(u, b))))
      this.putUnique(tx, next, unique);
    for (const unique of before.filter((b) => !after.some((u) => same(u, b))))
      this.deleteUnique(tx, previous, unique);
    this.addExtraWrites(tx, previous, next);
    addEffects(tx, next.tenantId, effects, this.clock);
    await tx.commit();
  }

  async delete(entity: T, effects?: WriteEffects): Promise<void> {
    const tx = this.transaction();
    tx.delete(
      keys.masterData(entity.tenantId, this.mapping.type, entity.id),
      'version = :expected',
      () => this.versionConflict(entity),
      {
        ':expected': entity.version,
      },
    );
    for (const unique of this.uniqueValues(entity)) this.deleteUnique(tx, entity, unique);
    this.addExtraWrites(tx, entity, undefined);
    addEffects(tx, entity.tenantId, effects, this.clock);
    await tx.commit();
  }

  /** Items that live and die with the entity (e.g. group memberships). */
  protected addExtraWrites(_tx: Transaction, _previous: T | undefined, _next: T | undefined): void {}

  transaction(): Transaction {
    return new Transaction(this.table.client, this.table.tableName);
  }

  protected toItem(entity: T): Record<string, unknown> {
    const item: Record<string, unknown> = {
      ...(entity as unknown as Record<string, unknown>),
      ...keys.masterData(entity.tenantId, this.mapping.type, entity.id),
      ...this.mapping.indexKeys?.(entity),
      entityType: this.mapping.resource,
    };
    return item;
  }

  private uniqueValues(entity: T): UniqueValue[] {
    return this.mapping.uniqueValues?.(entity) ?? [];
  }

  private putUnique(tx: Transaction, entity: T, unique: UniqueValue): void {
    tx.put(
      {
        ...keys.unique(entity.tenantId, unique.scope, unique.value),
        entityType: 'UniqueValue',
        ownerId: entity.id,
      },
      'attribute_not_exists(pk)',
      () =>
        new ConflictError(
          `${unique.field} ${unique.value} is already used by another ${this.mapping.resource.toLowerCase()}`,
          {
            field: unique.field,
          },
        ),
    );
  }

  private deleteUnique(tx: Transaction, entity: T, unique: UniqueValue): void {
    tx.delete(
      keys.unique(entity.tenantId, unique.scope, unique.value),
      'ownerId = :owner',
      () => this.versionConflict(entity),
      {
        ':owner': entity.id,
      },
    );
  }

  private versionConflict(entity: T): Error {
    return new VersionConflictError(this.mapping.resource, entity.id, entity.version);
  }
}
