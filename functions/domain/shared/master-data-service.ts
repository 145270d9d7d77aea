import type { Clock, IdGenerator } from '../../shared/clock';
import { type Actor, actorIdOf } from '../access/actor';
import { authorize, type Permission } from '../access/permissions';
import { type Entity, type Page, type PageRequest, pageRequest } from './entity';
import { NotFoundError, ValidationError, VersionConflictError } from './errors';
import type { DomainEvent } from './events';
import type { Claim, Repository, WriteEffects } from './ports';

export interface ServiceContext {
  clock: Clock;
  ids: IdGenerator;
}

/** What makes one kind of master data different from the others. */
export interface MasterDataRules<T extends Entity, TCreate, TUpdate> {
  /** Singular name used in errors and event types, e.g. `Account`. */
  resource: string;
  /** Event source of its changes, e.g. `fieldservice.customers`. */
  eventSource: `fieldservice.${string}`;
  permissions: { read: Permission; write: Permission; delete: Permission };
  create(input: TCreate, base: Entity): T;
  /** The entity with the changes applied; id, tenant and timestamps are set by the service. */
  update(entity: T, changes: TUpdate): T;
  /** Cross-entity rules (references exist, no cycles). Runs before every write. */
  check?(entity: T, previous: T | undefined): Promise<void>;
  /** Refuses a delete that would leave dangling references. */
  checkDelete?(entity: T): Promise<void>;
  /** What else a write changes, in its transaction (e.g. the organisation's chart); `undefined` is no entity. */
  effects?(next: T | undefined, previous: T | undefined): Promise<WriteEffects>;
}

/** Reads, creates, changes and deletes one kind of master data, with permissions and events. */
export class MasterDataService<T extends Entity, TCreate, TUpdate> {
  constructor(
    protected readonly repository: Repository<T>,
    protected readonly rules: MasterDataRules<T, TCreate, TUpdate>,
    protected readonly context: ServiceContext,
  ) {}

  async get(actor: Actor, id: string): Promise<T> {
    authorize(actor, this.rules.permissions.read);
    return this.load(actor, id);
  }

  async list(actor: Actor, page: Partial<PageRequest>): Promise<Page<T>> {
    authorize(actor, this.rules.permissions.read);
    return this.repository.list(actor.tenantId, pageRequest(page));
  }

  async create(actor: Actor, input: TCreate, claims: readonly Claim[] = []): Promise<T> {
    authorize(actor, this.rules.permissions.write);
    const now = this.context.clock.now().toISOString();
    const entity = this.rules.create(input, {
      id: this.context.ids.next(),
      tenantId: actor.tenantId,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    await this.rules.check?.(entity, undefined);
    const also = await this.rules.effects?.(entity, undefined);
    await this.repository.create(entity, withEvent(also, this.event(actor, 'Created', entity), claims));
    return entity;
  }

  async update(actor: Actor, id: string, expectedVersion: number, changes: TUpdate): Promise<T> {
    authorize(actor, this.rules.permissions.write);
    const previous = await this.load(actor, id);
    assertVersion(this.rules.resource, previous, expectedVersion);
    const next: T = {
      ...this.rules.update(previous, changes),
      id: previous.id,
      tenantId: previous.tenantId,
      createdAt: previous.createdAt,
      version: previous.version + 1,
      updatedAt: this.context.clock.now().toISOString(),
    };
    await this.rules.check?.(next, previous);
    const also = await this.rules.effects?.(next, previous);
    await this.repository.update(previous, next, withEvent(also, this.event(actor, 'Updated', next)));
    return next;
  }

  async delete(actor: Actor, id: string, expectedVersion: number): Promise<void> {
    authorize(actor, this.rules.permissions.delete);
    const entity = await this.load(actor, id);
    assertVersion(this.rules.resource, entity, expectedVersion);
    await this.rules.checkDelete?.(entity);
    const also = await this.rules.effects?.(undefined, entity);
    await this.repository.delete(entity, withEvent(also, this.event(actor, 'Deleted', entity)));
  }

  /** Loads an entity of the actor's tenant or fails with 404. */
  protected async load(actor: Actor, id: string): Promise<T> {
    const entity = await this.repository.get(actor.tenantId, id);
    if (!entity) throw new NotFoundError(this.rules.resource, id);
    return entity;
  }

  private event(actor: Actor, change: 'Created' | 'Updated' | 'Deleted', entity: T): DomainEvent {
    return {
      id: this.context.ids.next(),
      type: `${this.rules.resource}${change}`,
      source: this.rules.eventSource,
      tenantId: entity.tenantId,
      occurredAt: this.context.clock.now().toISOString(),
      actorId: actorIdOf(actor),
      detail: { id: entity.id, version: entity.version, [lowerFirst(this.rules.resource)]: entity },
    };
  }
}

function withEvent(
  also: WriteEffects | undefined,
  event: DomainEvent,
  claims: readonly Claim[] = [],
): WriteEffects {
  return {
    ...also,
    events: [event, ...(also?.events ?? [])],
    claims: [...claims, ...(also?.claims ?? [])],
  };
}

function lowerFirst(value: string): string {
  return value.charAt(0).toLowerCase() + value.slice(1);
}

/** A stale expected version is a 409 before any write is attempted. */
export function assertVersion(resource: string, entity: Entity, expectedVersion: number): void {
  if (entity.version !== expectedVersion) {
    throw new VersionMismatch(resource, entity, expectedVersion);
  }
}

class VersionMismatch extends VersionConflictError {
  constructor(resource: string, entity: Entity, expectedVersion: number) {
    super(resource, entity.id, expectedVersion);
    Object.assign(this.details, { currentVersion: entity.version });
  }
}

/** Fails with a 400 naming the field when a referenced entity does not exist in the tenant. */
export async function requireReference<R>(
  field: string,
  resource: string,
  id: string | undefined,
  find: (id: string) => Promise<R | undefined>,
): Promise<R | undefined> {
  if (id === undefined) return undefined;
  const found = await find(id);
  if (!found)
    throw new ValidationError(`${field} refers to an unknown ${resource}`, [
      { field: `${field}`, message: `No ${resource} ${id}` },
    ]);
  return found;
}
