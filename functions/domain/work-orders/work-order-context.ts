import { type Actor, actorIdOf } from '../access/actor';
import type { Principal } from '../access/principal';
import type { Account } from '../customers/account';
import type { Contact } from '../customers/contact';
import type { Device } from '../customers/device';
import { assertCanBeInCharge, type User } from '../organisation/user';
import { ValidationError } from '../shared/errors';
import type { DomainEvent } from '../shared/events';
import type { ServiceContext } from '../shared/master-data-service';
import type { WorkOrderViewer } from './access';
import { type WorkOrderEventType, workOrderEvent } from './events';
import type { WorkOrderRepository } from './ports';
import { newRecord, type RecordKind, type ServiceRecord } from './service-record';
import { type OrganisationDirectory, viewerFor } from './viewer';
import type { TeamAccess, TeamMember, WorkOrder } from './work-order';
import type { WorkOrderType } from './work-order-type';

export interface Lookup<T> {
  get(tenantId: string, id: string): Promise<T | undefined>;
}

export interface WorkOrderLookups {
  accounts: Lookup<Account>;
  contacts: Lookup<Contact>;
  devices: Lookup<Device>;
  users: Lookup<User>;
  types: Lookup<WorkOrderType>;
}

/**
 * What every work-order use case works with: the repository, the lookups of
 * what a work order refers to, the organisation (for viewers), the clock and
 * ids. Built once by the composition root; each use case is a function of it.
 */
export class WorkOrderContext {
  constructor(
    readonly workOrders: WorkOrderRepository,
    readonly lookups: WorkOrderLookups,
    readonly directory: OrganisationDirectory,
    readonly service: ServiceContext,
  ) {}

  viewer(principal: Principal): WorkOrderViewer {
    return viewerFor(principal, this.directory);
  }

  now(): string {
    return this.service.clock.now().toISOString();
  }

  record(
    workOrderId: string,
    kind: RecordKind,
    actor: Actor,
    extra: { text?: string | undefined; data?: Record<string, unknown> | undefined } = {},
  ): ServiceRecord {
    return newRecord(this.service, workOrderId, kind, actorIdOf(actor), {
      ...(extra.text !== undefined ? { text: extra.text } : {}),
      ...(extra.data !== undefined ? { data: extra.data } : {}),
    });
  }

  event(
    type: WorkOrderEventType,
    workOrder: WorkOrder,
    actor: Actor,
    detail?: Record<string, unknown>,
  ): DomainEvent {
    return workOrderEvent(
      type,
      workOrder,
      { id: this.service.ids.next(), occurredAt: this.now(), actorId: actorIdOf(actor) },
      detail,
    );
  }

  /** The referenced entity of the tenant, or a 400 naming the field. */
  async reference<T>(
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
        { field, message: `No ${resource} ${id}` },
      ]);
    return found;
  }

  /** A person who may be put in charge: an existing, active user of the tenant. */
  async ownerOf(tenantId: string, ownerId: string, field = 'ownerId'): Promise<User> {
    const user = (await this.reference(field, 'user', ownerId, this.lookups.users, tenantId)) as User;
    assertCanBeInCharge(user, field);
    return user;
  }

  /**
   * The customer a work order refers to, checked as one: account, contact and
   * device exist, and a contact belongs to the account (which comes with the
   * contact when none is given). The same rule on create and on edit.
   */
  async customerOf(
    tenantId: string,
    refs: { accountId?: string | undefined; contactId?: string | undefined; deviceId?: string | undefined },
    known?: Contact,
  ): Promise<{ accountId?: string }> {
    const contact =
      known && known.id === refs.contactId && known.tenantId === tenantId
        ? known
        : await this.reference('contactId', 'contact', refs.contactId, this.lookups.contacts, tenantId);
    const accountId = refs.accountId ?? contact?.accountId;
    if (contact?.accountId && accountId && contact.accountId !== accountId) {
      throw new ValidationError('The contact belongs to another account', [
        { field: 'contactId', message: `Contact ${contact.id} belongs to account ${contact.accountId}` },
      ]);
    }
    await this.reference('accountId', 'account', accountId, this.lookups.accounts, tenantId);
    await this.reference('deviceId', 'device', refs.deviceId, this.lookups.devices, tenantId);
    return accountId ? { accountId } : {};
  }

  async teamOf(tenantId: string, members: { userId: string; access: TeamAccess }[]): Promise<TeamMember[]> {
    const seen = new Set<string>();
    const team: TeamMember[] = [];
    for (const [index, member] of members.entries()) {
      if (seen.has(member.userId)) {
        throw new ValidationError('A user is in the team once', [
          { field: `team.${index}.userId`, message: 'Listed twice' },
        ]);
      }
      seen.add(member.userId);
      const user = await this.lookups.users.get(tenantId, member.userId);
      if (!user)
        throw new ValidationError('Unknown team member', [
          { field: `team.${index}.userId`, message: `No user ${member.userId}` },
        ]);
      team.push({
        userId: user.id,
        access: member.access,
        ...(user.mainDepartmentId ? { departmentId: user.mainDepartmentId } : {}),
      });
    }
    return team;
  }
}
