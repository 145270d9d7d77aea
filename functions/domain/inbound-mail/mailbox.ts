import * as z from 'zod/mini';
import { assertCanBeInCharge, type User } from '../organisation/user';
import type { Entity } from '../shared/entity';
import { ValidationError } from '../shared/errors';
import { type MasterDataRules, requireReference } from '../shared/master-data-service';
import { applyChanges, partial } from '../shared/partial';
import { email, entityFields, expectedVersion, identifier, singleLineText, text } from '../shared/schema';
import { PRIORITIES } from '../work-orders/work-order';
import type { WorkOrderType } from '../work-orders/work-order-type';
import { type IntakeRule, intakeRules } from './intake-rules';

/** What an acknowledgement says; `{number}`, `{title}` and `{mailbox}` are filled in. */
export const DEFAULT_ACKNOWLEDGEMENT = {
  subject: 'Re: {title} [{number}]',
  body: [
    'Thank you for your message. We have registered it as work order {number}.',
    '',
    'To add to it, reply to this mail and keep {number} in the subject.',
    '',
    '{mailbox}',
  ].join('\n'),
};

const acknowledgementFields = z.strictObject({
  enabled: z.boolean(),
  subject: z.optional(singleLineText(200)),
  body: z.optional(text(5000)),
});

const mailboxFields = {
  /** The envelope recipient that reaches this mailbox: unique across all tenants. */
  address: email,
  /** Shown as the sender of acknowledgements, e.g. `Acme Service`. */
  displayName: z.optional(singleLineText(100)),
  defaultTypeId: z.optional(identifier),
  defaultPriority: z.optional(z.enum(PRIORITIES)),
  defaultOwnerId: z.optional(identifier),
  /** A sender who is no contact yet: becomes one, or the mail is held for a person to look at. */
  unknownSenders: z.optional(z.enum(['create-contact', 'hold'])),
  /** A reply to a work order closed at most this many days ago reopens it; later ones open a new, linked one. */
  reopenWindowDays: z.optional(z.int().check(z.gte(0), z.lte(365))),
  /** Past this many new work orders from one sender in an hour, mail is kept and held. */
  newWorkOrdersPerSenderPerHour: z.optional(z.int().check(z.gte(1), z.lte(1000))),
  /** At most this many acknowledgements to one sender in an hour, so two autoresponders cannot ping-pong. */
  acknowledgementsPerSenderPerHour: z.optional(z.int().check(z.gte(1), z.lte(100))),
  acknowledgement: z.optional(acknowledgementFields),
};

export const createMailboxInput = z.strictObject(mailboxFields);
export const updateMailboxInput = z.strictObject({ ...partial(mailboxFields), version: expectedVersion });
export const replaceRulesInput = z.strictObject({ rules: intakeRules, version: z.optional(expectedVersion) });
export const mailboxSchema = z.object({
  ...entityFields,
  ...mailboxFields,
  rules: intakeRules,
});

export type CreateMailboxInput = z.infer<typeof createMailboxInput>;
export type UpdateMailboxInput = z.infer<typeof updateMailboxInput>;
/** What changes a mailbox: its settings (PATCH), or its rules as a whole (PUT …/rules). */
export type MailboxChanges = UpdateMailboxInput | { rules: IntakeRule[]; version: number };

export interface Mailbox extends Entity, CreateMailboxInput {
  rules: IntakeRule[];
}

/** A mailbox's settings with the defaults filled in. */
export function settingsOf(mailbox: Mailbox) {
  return {
    unknownSenders: mailbox.unknownSenders ?? 'create-contact',
    reopenWindowDays: mailbox.reopenWindowDays ?? 14,
    newWorkOrdersPerSenderPerHour: mailbox.newWorkOrdersPerSenderPerHour ?? 20,
    acknowledgementsPerSenderPerHour: mailbox.acknowledgementsPerSenderPerHour ?? 5,
    acknowledgement: {
      enabled: mailbox.acknowledgement?.enabled ?? true,
      subject: mailbox.acknowledgement?.subject ?? DEFAULT_ACKNOWLEDGEMENT.subject,
      body: mailbox.acknowledgement?.body ?? DEFAULT_ACKNOWLEDGEMENT.body,
    },
  };
}

/** `Display Name <address>`, or the bare address. */
export function senderOf(mailbox: Mailbox): string {
  return mailbox.displayName
    ? `"${mailbox.displayName.replace(/["\\]/g, '')}" <${mailbox.address}>`
    : mailbox.address;
}

export interface MailboxReferences {
  users: { get(tenantId: string, id: string): Promise<User | undefined> };
  types: { get(tenantId: string, id: string): Promise<WorkOrderType | undefined> };
  /**
   * The domain every mailbox address must be in (the region's SES receiving
   * domain); undefined where any address may be used (locally).
   */
  mailDomain?: string;
}

export const mailboxRules = (
  refs: MailboxReferences,
): MasterDataRules<Mailbox, CreateMailboxInput, MailboxChanges> => ({
  resource: 'Mailbox',
  eventSource: 'fieldservice.mail',
  permissions: { read: 'mailbox:read', write: 'mailbox:write', delete: 'mailbox:write' },
  create: (input, base) => ({ ...base, ...input, rules: [] }),
  update: (mailbox, changes) => applyChanges(mailbox, changes),
  check: async (mailbox, previous) => {
    const { tenantId } = mailbox;
    if (refs.mailDomain && !mailbox.address.endsWith(`@${refs.mailDomain}`)) {
      throw new ValidationError('The address is not in the mail domain', [
        { field: 'address', message: `Must end with @${refs.mailDomain}` },
      ]);
    }
    if (mailbox.address.includes('+')) {
      throw new ValidationError('The address carries reply tokens after a +', [
        { field: 'address', message: 'Must not contain +' },
      ]);
    }
    if (mailbox.defaultOwnerId !== previous?.defaultOwnerId) {
      const owner = await requireReference('defaultOwnerId', 'user', mailbox.defaultOwnerId, (id) =>
        refs.users.get(tenantId, id),
      );
      if (owner) assertCanBeInCharge(owner, 'defaultOwnerId');
    }
    if (mailbox.defaultTypeId !== previous?.defaultTypeId) {
      await requireReference('defaultTypeId', 'work order type', mailbox.defaultTypeId, (id) =>
        refs.types.get(tenantId, id),
      );
    }
    if (JSON.stringify(mailbox.rules) !== JSON.stringify(previous?.rules ?? [])) {
      await checkRuleReferences(refs, mailbox);
    }
  },
});

/** The type, person in charge and team a rule creates with exist in the tenant (and the person is active). */
async function checkRuleReferences(refs: MailboxReferences, mailbox: Mailbox): Promise<void> {
  const { tenantId } = mailbox;
  for (const [index, rule] of mailbox.rules.entries()) {
    const { action } = rule;
    if (action.kind !== 'create') continue;
    const at = `rules.${index}.action`;
    await requireReference(`${at}.typeId`, 'work order type', action.typeId, (id) =>
      refs.types.get(tenantId, id),
    );
    const owner = await requireReference(`${at}.ownerId`, 'user', action.ownerId, (id) =>
      refs.users.get(tenantId, id),
    );
    if (owner) assertCanBeInCharge(owner, `${at}.ownerId`);
    for (const [m, member] of (action.team ?? []).entries()) {
      await requireReference(`${at}.team.${m}.userId`, 'user', member.userId, (id) =>
        refs.users.get(tenantId, id),
      );
    }
  }
}
