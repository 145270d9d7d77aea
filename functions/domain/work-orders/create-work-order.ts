import { type Actor, actorIdOf, isSystemActor, isUser, type SystemActorKind } from '../access/actor';
import { authorize } from '../access/permissions';
import { hasRole } from '../access/principal';
import type { Contact } from '../customers/contact';
import type { User } from '../organisation/user';
import type { Claim, WriteEffects } from '../shared/ports';
import type { Channel, CreateWorkOrderInput, PlanOccurrenceRef, WorkOrder } from './work-order';
import type { WorkOrderContext } from './work-order-context';

const ROLE_CHANNEL: Partial<Record<string, Channel>> = {
  'call-center-agent': 'call-center',
  integration: 'integration',
};

const SYSTEM_CHANNEL: Record<SystemActorKind, Channel> = {
  mailbox: 'email',
  'service-plan': 'plan',
  'integration-client': 'integration',
  workflow: 'staff',
};

function defaultChannel(actor: Actor): Channel {
  if (isSystemActor(actor)) return SYSTEM_CHANNEL[actor.system];
  return actor.roles.map((role) => ROLE_CHANNEL[role]).find(Boolean) ?? 'staff';
}

/**
 * Who is put in charge of a new work order: the one named, else the type's
 * assignment rule (unless its person has been disabled since), else the
 * creating user when they do service work. A system actor is never in charge.
 */
async function initialOwner(
  ctx: WorkOrderContext,
  actor: Actor,
  input: CreateWorkOrderInput,
  defaultOwnerId: string | undefined,
): Promise<{ owner?: User; rule?: 'explicit' | 'type' | 'creator' }> {
  const { tenantId } = actor;
  if (input.ownerId) return { owner: await ctx.ownerOf(tenantId, input.ownerId), rule: 'explicit' };
  if (defaultOwnerId) {
    const owner = await ctx.lookups.users.get(tenantId, defaultOwnerId);
    return owner?.status === 'active' ? { owner, rule: 'type' } : {};
  }
  if (isUser(actor) && hasRole(actor, 'service-staff')) {
    const owner = await ctx.lookups.users.get(tenantId, actor.userId);
    return owner?.status === 'active' ? { owner, rule: 'creator' } : {};
  }
  return {};
}

/** What a system actor adds to a new work order beyond its input. */
export interface CreateOptions {
  /** Kept on the `created` timeline entry: where it came from (the inbound mail, the work order it follows up). */
  origin?: Record<string, unknown>;
  /** More that commits with the work order, given it (the decision record of the mail that created it). */
  also?: (workOrder: WorkOrder) => WriteEffects;
  /** The contact as the caller just read it (the sender of a mail), so it is not read again. */
  contact?: Contact;
  /** The plan occurrence a preventive work order is generated for. */
  servicePlan?: PlanOccurrenceRef;
}

/**
 * A new work order, numbered in the same transaction, with its first
 * timeline entries and events; `claims` (an Idempotency-Key, a mail's
 * Message-ID, a plan occurrence) are taken in that same transaction.
 */
export async function createWorkOrder(
  ctx: WorkOrderContext,
  actor: Actor,
  input: CreateWorkOrderInput,
  claims: readonly Claim[] = [],
  options: CreateOptions = {},
): Promise<WorkOrder> {
  authorize(actor, 'work-order:create');
  const { tenantId } = actor;
  const customer = await ctx.customerOf(tenantId, input, options.contact);
  const type = await ctx.reference('typeId', 'work order type', input.typeId, ctx.lookups.types, tenantId);
  const { owner, rule } = await initialOwner(ctx, actor, input, type?.defaultOwnerId);
  const team = await ctx.teamOf(tenantId, input.team ?? []);

  const now = ctx.now();
  const draft: Omit<WorkOrder, 'number'> = {
    id: ctx.service.ids.next(),
    tenantId,
    version: 1,
    createdAt: now,
    updatedAt: now,
    title: input.title,
    ...(input.description ? { description: input.description } : {}),
    ...(type ? { typeId: type.id } : {}),
    priority: input.priority ?? type?.defaultPriority ?? 'normal',
    ...customer,
    ...(input.contactId ? { contactId: input.contactId } : {}),
    ...(input.deviceId ? { deviceId: input.deviceId } : {}),
    ...(input.address ? { address: input.address } : {}),
    channel: input.channel ?? defaultChannel(actor),
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
    createdBy: actorIdOf(actor),
    ...(options.servicePlan ? { servicePlan: options.servicePlan } : {}),
  };
  const records = [
    ctx.record(draft.id, 'created', actor, { data: { channel: draft.channel, ...options.origin } }),
  ];
  if (owner) records.push(ctx.record(draft.id, 'assigned', actor, { data: { ownerId: owner.id, rule } }));
  return ctx.workOrders.create(draft, records, (workOrder) => {
    const also = options.also?.(workOrder);
    return {
      events: [
        ctx.event('WorkOrderCreated', workOrder, actor, {
          title: workOrder.title,
          channel: workOrder.channel,
          priority: workOrder.priority,
          status: workOrder.status,
          ...(workOrder.ownerId ? { ownerId: workOrder.ownerId } : {}),
          ...(workOrder.accountId ? { accountId: workOrder.accountId } : {}),
        }),
        ...(workOrder.ownerId
          ? [ctx.event('WorkOrderAssigned', workOrder, actor, { ownerId: workOrder.ownerId })]
          : []),
        ...(also?.events ?? []),
      ],
      claims: [...claims, ...(also?.claims ?? [])],
      companions: also?.companions ?? [],
      ...(also?.unchanged ? { unchanged: also.unchanged } : {}),
    };
  });
}
