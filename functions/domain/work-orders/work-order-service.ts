import { authorize } from '../access/permissions';
import { hasRole, type Principal } from '../access/principal';
import type { Account } from '../customers/account';
import type { Contact } from '../customers/contact';
import type { Device } from '../customers/device';
import type { User } from '../organisation/user';
import { MAX_PAGE_SIZE, type Page, type PageRequest, pageRequest } from '../shared/entity';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  VersionConflictError,
} from '../shared/errors';
import type { DomainEvent } from '../shared/events';
import type { ServiceContext } from '../shared/master-data-service';
import type { IdempotencyClaim } from '../shared/ports';
import { assertCanHandle, canRead, type WorkOrderViewer } from './access';
import { workOrderEvent } from './events';
import type { WorkOrderRepository, WorkOrderSummary } from './ports';
import { type Scene, viewsOfScene } from './scenes';
import { newRecord, type RecordKind, type ServiceRecord } from './service-record';
import { type OrganisationDirectory, viewerFor } from './viewer';
import {
  assertHandleable,
  assertTransition,
  type BusinessStatus,
  type Channel,
  type CreateWorkOrderInput,
  MAX_TEAM_SIZE,
  type TeamAccess,
  type UpdateWorkOrderInput,
  type WorkOrder,
} from './work-order';
import type { WorkOrderType } from './work-order-type';

interface Lookup<T> {
  get(tenantId: string, id: string): Promise<T | undefined>;
}

export interface WorkOrderLookups {
  accounts: Lookup<Account>;
  contacts: Lookup<Contact>;
  devices: Lookup<Device>;
  users: Lookup<User>;
  types: Lookup<WorkOrderType>;
}

export const MAX_BATCH_ASSIGN = 100;
const BATCH_CONCURRENCY = 10;

export type BatchOutcome =
  | 'assigned'
  | 'unchanged'
  | 'forbidden'
  | 'not-found'
  | 'locked'
  | 'obsolete'
  | 'conflict';

export interface SceneRequest {
  scene: Scene;
  sort?: 'created' | 'updated';
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
}

const DEFAULT_CHANNEL: Partial<Record<string, Channel>> = {
  'call-center-agent': 'call-center',
  integration: 'integration',
};

/** Work orders: creating, finding, handling. Every rule about who may do what is in access.ts. */
/** How many pages of an account's work orders its summary reads at most to find those the viewer may read. */
const ACCOUNT_HISTORY_PAGES = 3;

export class WorkOrderService {
  constructor(
    private readonly workOrders: WorkOrderRepository,
    private readonly lookups: WorkOrderLookups,
    private readonly directory: OrganisationDirectory,
    private readonly context: ServiceContext,
  ) {}

  viewer(principal: Principal): WorkOrderViewer {
    return viewerFor(principal, this.directory);
  }

  async create(
    principal: Principal,
    input: CreateWorkOrderInput,
    idempotency?: IdempotencyClaim,
  ): Promise<WorkOrder> {
    authorize(principal, 'work-order:create');
    const { tenantId } = principal;
    const contact = await this.reference(
      'contactId',
      'contact',
      input.contactId,
      this.lookups.contacts,
      tenantId,
    );
    // Created from a contact: the account comes with it.
    const accountId = input.accountId ?? contact?.accountId;
    if (contact?.accountId && input.accountId && contact.accountId !== input.accountId) {
      throw new ValidationError('The contact belongs to another account', [
        { field: 'body.contactId', message: `Contact ${contact.id} belongs to account ${contact.accountId}` },
      ]);
    }
    await this.reference('accountId', 'account', accountId, this.lookups.accounts, tenantId);
    await this.reference('deviceId', 'device', input.deviceId, this.lookups.devices, tenantId);
    const type = await this.reference(
      'typeId',
      'work order type',
      input.typeId,
      this.lookups.types,
      tenantId,
    );
    // The assignment rule of the type ("workflow") decides when the caller does not.
    const ruleOwnerId = input.ownerId ?? type?.defaultOwnerId;
    const owner = ruleOwnerId
      ? await this.reference('ownerId', 'user', ruleOwnerId, this.lookups.users, tenantId)
      : hasRole(principal, 'service-staff')
        ? await this.lookups.users.get(tenantId, principal.userId)
        : undefined;
    const team = await this.teamOf(tenantId, input.team ?? []);

    const now = this.now();
    const draft: Omit<WorkOrder, 'number'> = {
      id: this.context.ids.next(),
      tenantId,
      version: 1,
      createdAt: now,
      updatedAt: now,
      title: input.title,
      ...(input.description ? { description: input.description } : {}),
      ...(type ? { typeId: type.id } : {}),
      priority: input.priority ?? type?.defaultPriority ?? 'normal',
      ...(accountId ? { accountId } : {}),
      ...(input.contactId ? { contactId: input.contactId } : {}),
      ...(input.deviceId ? { deviceId: input.deviceId } : {}),
      ...(input.address ? { address: input.address } : {}),
      channel: input.channel ?? principal.roles.map((r) => DEFAULT_CHANNEL[r]).find(Boolean) ?? 'staff',
      ...(owner
        ? {
            ownerId: owner.id,
            ...(owner.mainDepartmentId ? { ownerDepartmentId: owner.mainDepartmentId } : {}),
          }
        : {}),
      team,
      status: 'new',
      lifecycle: 'normal',
      locked: false,
      createdBy: principal.userId,
    };
    const records = [this.record(draft.id, 'created', principal, { data: { channel: draft.channel } })];
    if (owner)
      records.push(
        this.record(draft.id, 'assigned', principal, {
          data: {
            ownerId: owner.id,
            rule: input.ownerId ? 'explicit' : type?.defaultOwnerId ? 'type' : 'creator',
          },
        }),
      );
    return this.workOrders.create(draft, records, (workOrder) => ({
      events: [
        this.event('WorkOrderCreated', workOrder, principal, {
          title: workOrder.title,
          channel: workOrder.channel,
          priority: workOrder.priority,
          status: workOrder.status,
          ...(workOrder.ownerId ? { ownerId: workOrder.ownerId } : {}),
          ...(workOrder.accountId ? { accountId: workOrder.accountId } : {}),
        }),
        ...(workOrder.ownerId
          ? [this.event('WorkOrderAssigned', workOrder, principal, { ownerId: workOrder.ownerId })]
          : []),
      ],
      idempotency,
    }));
  }

  async get(principal: Principal, id: string): Promise<WorkOrder> {
    const workOrder = await this.workOrders.get(principal.tenantId, id);
    if (!workOrder || !(await canRead(workOrder, this.viewer(principal))))
      throw new NotFoundError('WorkOrder', id);
    return workOrder;
  }

  async getByNumber(principal: Principal, number: string): Promise<WorkOrder> {
    const workOrder = await this.workOrders.findByNumber(principal.tenantId, number);
    if (!workOrder || !(await canRead(workOrder, this.viewer(principal))))
      throw new NotFoundError('WorkOrder', number);
    return workOrder;
  }

  async scene(principal: Principal, request: SceneRequest): Promise<Page<WorkOrderSummary>> {
    const views = await viewsOfScene(request.scene, this.viewer(principal));
    if (views.length === 0) return { items: [] };
    const { items, nextCursor } = await this.workOrders.scene(principal.tenantId, {
      views,
      sort: request.sort ?? 'created',
      order: request.order ?? 'desc',
      ...pageRequest(request),
    });
    return { items, ...(nextCursor ? { nextCursor } : {}) };
  }

  /** The last work orders of an account, for its summary; any role that reads customers sees them. */
  /** The account's latest work orders that this principal may read (a bounded number of pages). */
  async accountHistory(principal: Principal, accountId: string, limit: number): Promise<WorkOrderSummary[]> {
    authorize(principal, 'customer:read');
    const viewer = this.viewer(principal);
    const readable: WorkOrderSummary[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < ACCOUNT_HISTORY_PAGES && readable.length < limit; page++) {
      const { items, nextCursor } = await this.workOrders.scene(principal.tenantId, {
        views: [{ kind: 'account', accountId }],
        sort: 'created',
        order: 'desc',
        limit: MAX_PAGE_SIZE,
        cursor,
      });
      const full = await this.workOrders.getMany(
        principal.tenantId,
        items.map((item) => item.id),
      );
      for (const item of items) {
        const workOrder = full.get(item.id);
        if (readable.length < limit && workOrder && (await canRead(workOrder, viewer))) readable.push(item);
      }
      cursor = nextCursor;
      if (!cursor) break;
    }
    return readable;
  }

  async records(principal: Principal, id: string, page: Partial<PageRequest>): Promise<Page<ServiceRecord>> {
    await this.get(principal, id);
    return this.workOrders.records(principal.tenantId, id, pageRequest(page));
  }

  async comment(principal: Principal, id: string, text: string): Promise<ServiceRecord> {
    const workOrder = await this.get(principal, id);
    if (workOrder.lifecycle === 'obsolete')
      throw new ConflictError(`Work order ${workOrder.number} is obsolete`, { reason: 'obsolete' });
    const record = this.record(id, 'comment', principal, { text });
    await this.workOrders.appendRecords(workOrder, [record]);
    return record;
  }

  async update(principal: Principal, id: string, input: UpdateWorkOrderInput): Promise<WorkOrder> {
    return this.change(principal, id, input.version, async (workOrder) => {
      const { tenantId } = principal;
      const next: WorkOrder = { ...workOrder };
      const changed: string[] = [];
      for (const field of [
        'title',
        'description',
        'typeId',
        'priority',
        'accountId',
        'contactId',
        'deviceId',
        'address',
      ] as const) {
        const value = input[field];
        if (value === undefined) continue;
        changed.push(field);
        if (value === null) delete next[field];
        else (next as unknown as Record<string, unknown>)[field] = value;
      }
      if (input.accountId)
        await this.reference('accountId', 'account', input.accountId, this.lookups.accounts, tenantId);
      if (input.contactId)
        await this.reference('contactId', 'contact', input.contactId, this.lookups.contacts, tenantId);
      if (input.deviceId)
        await this.reference('deviceId', 'device', input.deviceId, this.lookups.devices, tenantId);
      if (input.typeId)
        await this.reference('typeId', 'work order type', input.typeId, this.lookups.types, tenantId);
      return { next, kind: 'edited', data: { fields: changed }, events: ['WorkOrderUpdated'] };
    });
  }

  async assign(
    principal: Principal,
    id: string,
    ownerId: string,
    expectedVersion?: number,
  ): Promise<WorkOrder> {
    const owner = await this.reference('ownerId', 'user', ownerId, this.lookups.users, principal.tenantId);
    return this.change(principal, id, expectedVersion, async (workOrder) =>
      this.assignment(workOrder, owner as User),
    );
  }

  /** Up to 100 work orders to one person in charge; each is its own transaction and gets its own answer. */
  async assignBatch(
    principal: Principal,
    ids: string[],
    ownerId: string,
  ): Promise<{ id: string; outcome: BatchOutcome; number?: string }[]> {
    const owner = await this.reference('ownerId', 'user', ownerId, this.lookups.users, principal.tenantId);
    const viewer = this.viewer(principal);
    // A batch checks many work orders: load the viewer's team below once instead of walking up per order.
    await viewer.subordinates();
    const unique = [...new Set(ids)];
    const found = await this.workOrders.getMany(principal.tenantId, unique);
    const results = new Map<string, { id: string; outcome: BatchOutcome; number?: string }>();
    const queue = [...unique];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        results.set(id, await this.assignOne(principal, viewer, id, found.get(id), owner as User));
      }
    };
    await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, unique.length) }, worker));
    return unique.map((id) => results.get(id) as { id: string; outcome: BatchOutcome });
  }

  private async assignOne(
    principal: Principal,
    viewer: WorkOrderViewer,
    id: string,
    workOrder: WorkOrder | undefined,
    owner: User,
  ) {
    if (!workOrder || !(await canRead(workOrder, viewer))) return { id, outcome: 'not-found' as const };
    const answer = (outcome: BatchOutcome) => ({ id, outcome, number: workOrder.number });
    if (workOrder.lifecycle === 'obsolete') return answer('obsolete');
    if (workOrder.locked) return answer('locked');
    try {
      await assertCanHandle(workOrder, viewer);
      await this.apply(principal, workOrder, this.assignment(workOrder, owner));
      return answer('assigned');
    } catch (error) {
      if (error instanceof ForbiddenError) return answer('forbidden');
      if (error instanceof AlreadyInChargeError) return answer('unchanged');
      if (error instanceof VersionConflictError) return answer('conflict');
      throw error;
    }
  }

  async handle(
    principal: Principal,
    id: string,
    to: BusinessStatus,
    expectedVersion: number,
    comment?: string,
  ): Promise<WorkOrder> {
    return this.change(principal, id, expectedVersion, async (workOrder) => {
      assertTransition(workOrder, to);
      const now = this.now();
      const next: WorkOrder = { ...workOrder, status: to };
      if (to === 'resolved') next.resolvedAt = now;
      if (to === 'closed') next.closedAt = now;
      if (to === 'in-progress') {
        delete next.resolvedAt;
        delete next.closedAt;
      }
      return {
        next,
        kind: 'status-changed',
        data: { from: workOrder.status, to },
        text: comment,
        events: ['WorkOrderStatusChanged'],
        eventDetail: { from: workOrder.status, to },
      };
    });
  }

  async addTeamMember(
    principal: Principal,
    id: string,
    member: { userId: string; access: TeamAccess },
    expectedVersion: number,
  ): Promise<WorkOrder> {
    return this.change(principal, id, expectedVersion, async (workOrder) => {
      const [joined] = await this.teamOf(principal.tenantId, [member]);
      const others = workOrder.team.filter((m) => m.userId !== member.userId);
      if (others.length >= MAX_TEAM_SIZE)
        throw new ConflictError(`A team has at most ${MAX_TEAM_SIZE} members`);
      return {
        next: { ...workOrder, team: [...others, joined as NonNullable<typeof joined>] },
        kind: 'team-changed',
        data: { added: member.userId, access: member.access },
      };
    });
  }

  async removeTeamMember(
    principal: Principal,
    id: string,
    userId: string,
    expectedVersion: number,
  ): Promise<WorkOrder> {
    return this.change(principal, id, expectedVersion, async (workOrder) => {
      if (!workOrder.team.some((m) => m.userId === userId)) throw new NotFoundError('TeamMember', userId);
      return {
        next: { ...workOrder, team: workOrder.team.filter((m) => m.userId !== userId) },
        kind: 'team-changed',
        data: { removed: userId },
      };
    });
  }

  async setLocked(
    principal: Principal,
    id: string,
    locked: boolean,
    expectedVersion: number,
  ): Promise<WorkOrder> {
    if (!hasRole(principal, 'crm-admin', 'service-manager')) {
      throw new ForbiddenError(
        'Locking and unlocking work orders needs the service-manager or crm-admin role',
      );
    }
    return this.change(
      principal,
      id,
      expectedVersion,
      async (workOrder) => {
        if (workOrder.locked === locked)
          throw new ConflictError(
            `Work order ${workOrder.number} is already ${locked ? 'locked' : 'unlocked'}`,
          );
        return { next: { ...workOrder, locked }, kind: locked ? 'locked' : 'unlocked' };
      },
      { allowLocked: true },
    );
  }

  async void(principal: Principal, id: string, expectedVersion: number, reason?: string): Promise<WorkOrder> {
    return this.change(principal, id, expectedVersion, async (workOrder) => ({
      next: { ...workOrder, lifecycle: 'obsolete' },
      kind: 'voided',
      text: reason,
      events: ['WorkOrderUpdated'],
    }));
  }

  async delete(principal: Principal, id: string, expectedVersion: number): Promise<void> {
    if (!hasRole(principal, 'crm-admin'))
      throw new ForbiddenError('Deleting work orders needs the crm-admin role');
    const workOrder = await this.get(principal, id);
    if (workOrder.version !== expectedVersion)
      throw new VersionConflictError('WorkOrder', id, expectedVersion);
    await this.workOrders.delete(workOrder, {
      events: [this.event('WorkOrderDeleted', workOrder, principal)],
    });
  }

  /** Read, check who may, check the version, apply one change with its record and events. */
  private async change(
    principal: Principal,
    id: string,
    expectedVersion: number | undefined,
    decide: (workOrder: WorkOrder) => Promise<Change>,
    options: { allowLocked?: boolean } = {},
  ): Promise<WorkOrder> {
    const viewer = this.viewer(principal);
    const workOrder = await this.workOrders.get(principal.tenantId, id);
    if (!workOrder || !(await canRead(workOrder, viewer))) throw new NotFoundError('WorkOrder', id);
    await assertCanHandle(workOrder, viewer);
    if (options.allowLocked) {
      if (workOrder.lifecycle === 'obsolete')
        throw new ConflictError(`Work order ${workOrder.number} is obsolete`, { reason: 'obsolete' });
    } else {
      assertHandleable(workOrder);
    }
    if (expectedVersion !== undefined && workOrder.version !== expectedVersion) {
      throw new VersionConflictError('WorkOrder', id, expectedVersion);
    }
    return this.apply(principal, workOrder, await decide(workOrder));
  }

  private async apply(principal: Principal, workOrder: WorkOrder, change: Change): Promise<WorkOrder> {
    const next: WorkOrder = { ...change.next, version: workOrder.version + 1, updatedAt: this.now() };
    const record = this.record(workOrder.id, change.kind, principal, {
      text: change.text,
      data: change.data,
    });
    const events = (change.events ?? []).map((type) => this.event(type, next, principal, change.eventDetail));
    await this.workOrders.update(workOrder, next, [record], { events });
    return next;
  }

  private assignment(workOrder: WorkOrder, owner: User): Change {
    if (workOrder.ownerId === owner.id) throw new AlreadyInChargeError(owner.id, workOrder.number);
    const next: WorkOrder = { ...workOrder, ownerId: owner.id };
    if (owner.mainDepartmentId) next.ownerDepartmentId = owner.mainDepartmentId;
    else delete next.ownerDepartmentId;
    return {
      next,
      kind: 'assigned',
      data: { from: workOrder.ownerId ?? null, to: owner.id },
      events: ['WorkOrderAssigned'],
      eventDetail: {
        ...(workOrder.ownerId ? { previousOwnerId: workOrder.ownerId } : {}),
        ownerId: owner.id,
      },
    };
  }

  private async teamOf(tenantId: string, members: { userId: string; access: TeamAccess }[]) {
    const seen = new Set<string>();
    const team = [];
    for (const [index, member] of members.entries()) {
      if (seen.has(member.userId)) {
        throw new ValidationError('A user is in the team once', [
          { field: `body.team.${index}.userId`, message: 'Listed twice' },
        ]);
      }
      seen.add(member.userId);
      const user = await this.lookups.users.get(tenantId, member.userId);
      if (!user)
        throw new ValidationError('Unknown team member', [
          { field: `body.team.${index}.userId`, message: `No user ${member.userId}` },
        ]);
      team.push({
        userId: user.id,
        access: member.access,
        ...(user.mainDepartmentId ? { departmentId: user.mainDepartmentId } : {}),
      });
    }
    return team;
  }

  private async reference<T>(
    field: string,
    resource: string,
    id: string | undefined,
    lookup: Lookup<T>,
    tenantId: string,
  ): Promise<T | undefined> {
    if (id === undefined) return undefined;
    const found = await lookup.get(tenantId, id);
    if (!found)
      throw new ValidationError(`${field} refers to an unknown ${resource}`, [
        { field: `body.${field}`, message: `No ${resource} ${id}` },
      ]);
    return found;
  }

  private record(
    workOrderId: string,
    kind: RecordKind,
    principal: Principal,
    extra: { text?: string; data?: Record<string, unknown> } = {},
  ): ServiceRecord {
    return newRecord(this.context, workOrderId, kind, principal.userId, extra);
  }

  private event(
    type: Parameters<typeof workOrderEvent>[0],
    workOrder: WorkOrder,
    principal: Principal,
    detail?: Record<string, unknown>,
  ): DomainEvent {
    return workOrderEvent(
      type,
      workOrder,
      { id: this.context.ids.next(), occurredAt: this.now(), actorId: principal.userId },
      detail,
    );
  }

  private now(): string {
    return this.context.clock.now().toISOString();
  }
}

interface Change {
  next: WorkOrder;
  kind: RecordKind;
  text?: string;
  data?: Record<string, unknown>;
  events?: Parameters<typeof workOrderEvent>[0][];
  eventDetail?: Record<string, unknown>;
}

class AlreadyInChargeError extends ConflictError {
  constructor(ownerId: string, number: string) {
    super(`${ownerId} is already in charge of ${number}`);
  }
}
