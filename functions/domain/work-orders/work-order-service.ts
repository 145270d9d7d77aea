import type { Actor } from '../access/actor';
import type { Principal } from '../access/principal';
import type { Page, PageRequest } from '../shared/entity';
import type { Claim, WriteEffects } from '../shared/ports';
import type { WorkOrderViewer } from './access';
import { assignBatch, assignWorkOrder, type BatchResult } from './assign-work-order';
import { commentOn } from './comment-work-order';
import { type CreateOptions, createWorkOrder } from './create-work-order';
import {
  accountHistory,
  getWorkOrder,
  getWorkOrderByNumber,
  recordsOf,
  type SceneRequest,
  sceneOf,
} from './find-work-orders';
import {
  addTeamMember,
  changeStatus,
  deleteWorkOrder,
  removeTeamMember,
  setLocked,
  updateWorkOrder,
  voidWorkOrder,
} from './handle-work-order';
import type { WorkOrderScenes, WorkOrderSummary } from './ports';
import { appendReply, type Reply, reopenWithReply } from './reply-to-work-order';
import type { ServiceRecord } from './service-record';
import type {
  BusinessStatus,
  CreateWorkOrderInput,
  TeamAccess,
  UpdateWorkOrderInput,
  WorkOrder,
} from './work-order';
import type { WorkOrderContext } from './work-order-context';

export { type BatchOutcome, MAX_BATCH_ASSIGN } from './assign-work-order';
export type { SceneRequest } from './find-work-orders';
export type { WorkOrderLookups } from './work-order-context';

/**
 * Work orders: one entry per use case, each in its own file (create, find,
 * assign, handle, comment). Who may do what is in access.ts and, for system
 * actors, in the permission table.
 */
export class WorkOrderService {
  constructor(
    private readonly ctx: WorkOrderContext,
    private readonly scenes: WorkOrderScenes,
  ) {}

  viewer(principal: Principal): WorkOrderViewer {
    return this.ctx.viewer(principal);
  }

  create(
    actor: Actor,
    input: CreateWorkOrderInput,
    claims: readonly Claim[] = [],
    options: CreateOptions = {},
  ): Promise<WorkOrder> {
    return createWorkOrder(this.ctx, actor, input, claims, options);
  }

  /** A reply appended to the work order of its thread (by the mailbox that received it). */
  appendReply(actor: Actor, workOrder: WorkOrder, reply: Reply, effects: WriteEffects): Promise<void> {
    return appendReply(this.ctx, actor, workOrder, reply, effects);
  }

  /** A closed work order reopened by a reply inside the mailbox's reopen window. */
  reopenWithReply(
    actor: Actor,
    workOrder: WorkOrder,
    reply: Reply,
    effects: WriteEffects,
  ): Promise<WorkOrder> {
    return reopenWithReply(this.ctx, actor, workOrder, reply, effects);
  }

  get(principal: Principal, id: string): Promise<WorkOrder> {
    return getWorkOrder(this.ctx, principal, id);
  }

  getByNumber(principal: Principal, number: string): Promise<WorkOrder> {
    return getWorkOrderByNumber(this.ctx, principal, number);
  }

  scene(principal: Principal, request: SceneRequest): Promise<Page<WorkOrderSummary>> {
    return sceneOf(this.ctx, this.scenes, principal, request);
  }

  accountHistory(principal: Principal, accountId: string, limit: number): Promise<WorkOrderSummary[]> {
    return accountHistory(this.ctx, this.scenes, principal, accountId, limit);
  }

  records(principal: Principal, id: string, page: Partial<PageRequest>): Promise<Page<ServiceRecord>> {
    return recordsOf(this.ctx, principal, id, page);
  }

  comment(actor: Actor, id: string, text: string, claims: readonly Claim[] = []): Promise<ServiceRecord> {
    return commentOn(this.ctx, actor, id, text, claims);
  }

  update(principal: Principal, id: string, input: UpdateWorkOrderInput): Promise<WorkOrder> {
    return updateWorkOrder(this.ctx, principal, id, input);
  }

  assign(principal: Principal, id: string, ownerId: string, expectedVersion?: number): Promise<WorkOrder> {
    return assignWorkOrder(this.ctx, principal, id, ownerId, expectedVersion);
  }

  assignBatch(principal: Principal, ids: string[], ownerId: string): Promise<BatchResult[]> {
    return assignBatch(this.ctx, principal, ids, ownerId);
  }

  handle(
    principal: Principal,
    id: string,
    to: BusinessStatus,
    expectedVersion: number,
    comment?: string,
  ): Promise<WorkOrder> {
    return changeStatus(this.ctx, principal, id, to, expectedVersion, comment);
  }

  addTeamMember(
    principal: Principal,
    id: string,
    member: { userId: string; access: TeamAccess },
    expectedVersion: number,
  ): Promise<WorkOrder> {
    return addTeamMember(this.ctx, principal, id, member, expectedVersion);
  }

  removeTeamMember(
    principal: Principal,
    id: string,
    userId: string,
    expectedVersion: number,
  ): Promise<WorkOrder> {
    return removeTeamMember(this.ctx, principal, id, userId, expectedVersion);
  }

  setLocked(principal: Principal, id: string, locked: boolean, expectedVersion: number): Promise<WorkOrder> {
    return setLocked(this.ctx, principal, id, locked, expectedVersion);
  }

  void(principal: Principal, id: string, expectedVersion: number, reason?: string): Promise<WorkOrder> {
    return voidWorkOrder(this.ctx, principal, id, expectedVersion, reason);
  }

  delete(principal: Principal, id: string, expectedVersion: number): Promise<void> {
    return deleteWorkOrder(this.ctx, principal, id, expectedVersion);
  }
}
