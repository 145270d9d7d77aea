import type { AgreementView } from '../agreements/agreement';
import type { Device } from '../customers/device';
import type { User } from '../organisation/user';
import { mapConcurrently } from '../shared/concurrency';
import type { FieldError } from '../shared/errors';
import type { Repository } from '../shared/ports';
import type { WorkOrderType } from '../work-orders/work-order-type';
import { take } from './plan-series';
import { occurrences, type Recurrence } from './recurrence';
import type { WorkOrderTemplate } from './service-plan';

export interface PlanReferences {
  devices: Pick<Repository<Device>, 'get'>;
  users: Pick<Repository<User>, 'get'>;
  types: Pick<Repository<WorkOrderType>, 'get'>;
}

/** Whom a plan's work orders are for, from the agreement and the input, or the errors that say why not. */
export async function targetOf(
  refs: PlanReferences,
  agreement: AgreementView,
  input: { target?: 'account' | 'device'; deviceId?: string },
  errors: FieldError[],
): Promise<{ kind: 'account' | 'device'; accountId: string; deviceId?: string }> {
  const { subject } = agreement;
  const kind = input.target ?? subject.kind;
  const accountId = subject.accountId;
  if (kind === 'account') {
    if (subject.kind === 'device')
      errors.push({
        field: 'target',
        message: `Agreement ${agreement.id} covers a device: its plans target it`,
      });
    if (input.deviceId) errors.push({ field: 'deviceId', message: 'An account plan names no device' });
    return { kind, accountId };
  }
  const deviceId = input.deviceId ?? subject.deviceId;
  if (!deviceId) {
    errors.push({ field: 'deviceId', message: 'A device plan names its device' });
    return { kind, accountId };
  }
  if (subject.deviceId && deviceId !== subject.deviceId)
    errors.push({
      field: 'deviceId',
      message: `Agreement ${agreement.id} covers device ${subject.deviceId} only`,
    });
  const device = await refs.devices.get(agreement.tenantId, deviceId);
  if (!device) errors.push({ field: 'deviceId', message: `No device ${deviceId}` });
  else if (device.accountId !== accountId)
    errors.push({ field: 'deviceId', message: `Device ${deviceId} is not of account ${accountId}` });
  return { kind, accountId, deviceId };
}

/** The series must start and end inside the agreement, and have an occurrence there. */
export function checkRecurrence(
  recurrence: Recurrence,
  agreement: AgreementView,
  errors: FieldError[],
): void {
  const startDay = recurrence.start.slice(0, 10);
  if (startDay < agreement.startDate)
    errors.push({
      field: 'recurrence.start',
      message: `Must not be before the agreement's start ${agreement.startDate}`,
    });
  if (startDay > agreement.endDate)
    errors.push({
      field: 'recurrence.start',
      message: `Must not be after the agreement's end ${agreement.endDate}`,
    });
  if (recurrence.until && recurrence.until > agreement.endDate)
    errors.push({
      field: 'recurrence.until',
      message: `Must not be after the agreement's end ${agreement.endDate}`,
    });
  if (errors.length > 0) return;
  const last = recurrence.until ?? agreement.endDate;
  const first = take(occurrences(recurrence), 1)[0];
  if (!first || first.date > last)
    errors.push({ field: 'recurrence', message: `Has no occurrence from ${startDay} to ${last}` });
}

/** The template's line, type and people exist, and the line its products name are the agreement's. */
export async function checkTemplate(
  refs: PlanReferences,
  agreement: AgreementView,
  template: WorkOrderTemplate,
  errors: FieldError[],
): Promise<void> {
  const lineIds = new Set(agreement.lines.map((line) => line.id));
  for (const [index, product] of (template.serviceProducts ?? []).entries())
    if (!lineIds.has(product.lineId))
      errors.push({
        field: `template.serviceProducts.${index}.lineId`,
        message: `Agreement ${agreement.id} has no line ${product.lineId}`,
      });
  const { tenantId } = agreement;
  if (template.typeId && !(await refs.types.get(tenantId, template.typeId)))
    errors.push({ field: 'template.typeId', message: `No work order type ${template.typeId}` });
  const people = [
    ...(template.ownerId ? [{ field: 'template.ownerId', userId: template.ownerId }] : []),
    ...(template.team ?? []).map((member, index) => ({
      field: `template.team.${index}.userId`,
      userId: member.userId,
    })),
  ];
  const users = await mapConcurrently(people, 5, (person) => refs.users.get(tenantId, person.userId));
  people.forEach((person, index) => {
    const user = users[index];
    if (!user) errors.push({ field: person.field, message: `No user ${person.userId}` });
    else if (user.status !== 'active')
      errors.push({ field: person.field, message: `User ${person.userId} is disabled` });
  });
}
