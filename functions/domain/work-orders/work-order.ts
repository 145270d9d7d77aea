import * as z from 'zod/mini';
import type { Entity } from '../shared/entity';
import { ConflictError } from '../shared/errors';
import {
  address,
  entityFields,
  expectedVersion,
  identifier,
  multiLineText,
  singleLineText,
} from '../shared/schema';

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const CHANNELS = [
  'staff',
  'call-center',
  'email',
  'self-service',
  'integration',
  'form',
  'plan',
] as const;
export const STATUSES = ['new', 'in-progress', 'resolved', 'closed', 'cancelled'] as const;
export type Priority = (typeof PRIORITIES)[number];
export type Channel = (typeof CHANNELS)[number];
export type BusinessStatus = (typeof STATUSES)[number];
export type Lifecycle = 'normal' | 'obsolete';
export type TeamAccess = 'read-only' | 'read-write';

/** The business status machine; a move not listed here is a 409 naming the allowed ones. */
export const TRANSITIONS: Record<BusinessStatus, readonly BusinessStatus[]> = {
  new: ['in-progress', 'cancelled'],
  'in-progress': ['resolved', 'cancelled'],
  resolved: ['closed', 'in-progress'],
  // A closed work order is reopened (e.g. by a customer's reply inside the reopen window).
  closed: ['in-progress'],
  cancelled: [],
};

/** A team is bounded so that a work order and all its scene entries change in one transaction. */
export const MAX_TEAM_SIZE = 30;

export interface TeamMember {
  userId: string;
  access: TeamAccess;
  /** The member's main department when they joined: what the department scene uses. */
  departmentId?: string;
}

export interface WorkOrder extends Entity {
  /** Readable, sequential per tenant and year: WO-2026-000123. */
  number: string;
  title: string;
  description?: string;
  typeId?: string;
  priority: Priority;
  accountId?: string;
  contactId?: string;
  deviceId?: string;
  address?: z.infer<typeof address>;
  channel: Channel;
  /** The person in charge. */
  ownerId?: string;
  ownerDepartmentId?: string;
  team: TeamMember[];
  status: BusinessStatus;
  lifecycle: Lifecycle;
  locked: boolean;
  createdBy: string;
  resolvedAt?: string;
  closedAt?: string;
  /** The plan occurrence a preventive work order was generated for (channel `plan`). */
  servicePlan?: PlanOccurrenceRef;
}

/** Which plan, and which of its occurrences (its local date), a work order was generated for. */
export interface PlanOccurrenceRef {
  planId: string;
  occurrence: string;
  /** When the visit is due (UTC). */
  dueAt: string;
}

const workOrderFields = {
  title: singleLineText(200),
  description: z.optional(multiLineText(10_000)),
  typeId: z.optional(identifier),
  priority: z.optional(z.enum(PRIORITIES)),
  accountId: z.optional(identifier),
  contactId: z.optional(identifier),
  deviceId: z.optional(identifier),
  address: z.optional(address),
};

export const createWorkOrderInput = z.strictObject({
  ...workOrderFields,
  channel: z.optional(z.enum(CHANNELS)),
  ownerId: z.optional(identifier),
  team: z.optional(
    z
      .array(z.strictObject({ userId: identifier, access: z.enum(['read-only', 'read-write']) }))
      .check(z.maxLength(MAX_TEAM_SIZE)),
  ),
});
export type CreateWorkOrderInput = z.infer<typeof createWorkOrderInput>;

export const updateWorkOrderInput = z.strictObject({
  title: z.optional(singleLineText(200)),
  description: z.optional(z.nullable(multiLineText(10_000))),
  typeId: z.optional(z.nullable(identifier)),
  priority: z.optional(z.enum(PRIORITIES)),
  accountId: z.optional(z.nullable(identifier)),
  contactId: z.optional(z.nullable(identifier)),
  deviceId: z.optional(z.nullable(identifier)),
  address: z.optional(z.nullable(address)),
  version: expectedVersion,
});
export type UpdateWorkOrderInput = z.infer<typeof updateWorkOrderInput>;

export const teamMemberSchema = z.object({
  userId: z.string(),
  access: z.enum(['read-only', 'read-write']),
  departmentId: z.optional(z.string()),
});

export const workOrderSchema = z.object({
  ...entityFields,
  ...workOrderFields,
  number: z.string(),
  priority: z.enum(PRIORITIES),
  channel: z.enum(CHANNELS),
  ownerId: z.optional(z.string()),
  ownerDepartmentId: z.optional(z.string()),
  team: z.array(teamMemberSchema),
  status: z.enum(STATUSES),
  lifecycle: z.enum(['normal', 'obsolete']),
  locked: z.boolean(),
  createdBy: z.string(),
  resolvedAt: z.optional(z.string()),
  closedAt: z.optional(z.string()),
  servicePlan: z.optional(z.object({ planId: z.string(), occurrence: z.string(), dueAt: z.string() })),
});

export function formatNumber(year: number, sequence: number): string {
  return `WO-${year}-${String(sequence).padStart(6, '0')}`;
}

export function assertTransition(workOrder: WorkOrder, to: BusinessStatus): void {
  const allowed = TRANSITIONS[workOrder.status];
  if (!allowed.includes(to)) {
    throw new ConflictError(
      `Work order ${workOrder.number} cannot go from ${workOrder.status} to ${to}; allowed: ${allowed.length > 0 ? allowed.join(', ') : 'none'}`,
      { from: workOrder.status, to, allowed },
    );
  }
}

/** A voided work order is kept for the record only: nothing more is done with it. */
export function assertLive(workOrder: WorkOrder): void {
  if (workOrder.lifecycle === 'obsolete')
    throw new ConflictError(`Work order ${workOrder.number} is obsolete`, { reason: 'obsolete' });
}

/** Handling (status changes, assignment) needs a live, unlocked work order. */
export function assertHandleable(workOrder: WorkOrder): void {
  assertLive(workOrder);
  if (workOrder.locked)
    throw new ConflictError(`Work order ${workOrder.number} is locked`, { reason: 'locked' });
}
