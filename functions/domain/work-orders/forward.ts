import * as z from 'zod/mini';
import type { Account } from '../customers/account';
import type { Contact } from '../customers/contact';
import type { Device } from '../customers/device';
import { escapeHtml } from '../shared/mail';
import { email, optionalText } from '../shared/schema';
import type { ServiceRecord } from './service-record';
import type { WorkOrder } from './work-order';

export const MAX_FORWARD_RECIPIENTS = 10;
/** How many of the latest timeline entries a forwarded work order shows. */
export const FORWARDED_RECORDS = 5;

export const forwardInput = z.strictObject({
  to: z.array(email).check(z.minLength(1), z.maxLength(MAX_FORWARD_RECIPIENTS)),
  note: optionalText(2000),
});
export type ForwardInput = z.infer<typeof forwardInput>;

/** Detail of `WorkOrderForwarded` on the bus: what the mailer needs besides the work order itself. */
export const workOrderForwardedDetail = z.object({
  id: z.string(),
  number: z.string(),
  version: z.int(),
  recordId: z.string(),
  to: z.array(z.string()).check(z.minLength(1), z.maxLength(MAX_FORWARD_RECIPIENTS)),
  note: z.optional(z.string()),
});
export type WorkOrderForwardedDetail = z.infer<typeof workOrderForwardedDetail>;

/** `[WO-2026-000123] Boiler leaking`: the tag the inbound flow threads replies by. */
export const workOrderSubject = (workOrder: Pick<WorkOrder, 'number' | 'title'>) =>
  `[${workOrder.number}] ${workOrder.title}`;

/** `in-progress` → `In progress`. */
export const labelOf = (value: string) => {
  const words = value.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export interface CustomerOfWorkOrder {
  account?: Account;
  contact?: Contact;
  device?: Device;
}

export const contactName = (contact: Contact) =>
  [contact.firstName, contact.lastName].filter(Boolean).join(' ');

/** The customer in one line per part, for mail and print. */
export function customerLines(customer: CustomerOfWorkOrder): [label: string, value: string][] {
  const lines: [string, string][] = [];
  if (customer.account) lines.push(['Account', customer.account.name]);
  if (customer.contact) {
    const reach = [customer.contact.email, customer.contact.phone ?? customer.contact.mobile].filter(Boolean);
    lines.push([
      'Contact',
      `${contactName(customer.contact)}${reach.length > 0 ? ` (${reach.join(', ')})` : ''}`,
    ]);
  }
  if (customer.device)
    lines.push(['Device', `${customer.device.name} (serial ${customer.device.serialNumber})`]);
  return lines;
}

/** A timeline entry in words: `Status changed from new to in-progress`. */
export function describeRecord(record: ServiceRecord): string {
  const data = record.data ?? {};
  const text = record.text ? `: ${record.text}` : '';
  switch (record.kind) {
    case 'status-changed':
      return `Status changed from ${String(data.from)} to ${String(data.to)}${text}`;
    case 'assigned':
      return `Assigned to ${String(data.to ?? data.ownerId)}${text}`;
    case 'forwarded':
      return `Forwarded to ${Array.isArray(data.to) ? data.to.join(', ') : ''}${text}`;
    case 'reminder-set':
      return `Reminder for ${String(data.userId)} at ${String(data.at)} ${String(data.status ?? 'scheduled')}${text}`;
    default:
      return `${labelOf(record.kind)}${text}`;
  }
}

/** The forwarded work order as a mail: the facts, the customer, the latest timeline entries. */
export function renderForwardMail(input: {
  workOrder: WorkOrder;
  customer: CustomerOfWorkOrder;
  /** Latest first. */
  records: ServiceRecord[];
  forwardedBy: string;
  note?: string;
}): { subject: string; text: string; html: string } {
  const { workOrder: wo, customer, records, forwardedBy, note } = input;
  const fields: [string, string][] = [
    ['Work order', wo.number],
    ['Title', wo.title],
    ['Status', labelOf(wo.status)],
    ['Priority', labelOf(wo.priority)],
    ['Created', wo.createdAt],
    ...customerLines(customer),
  ];
  const width = Math.max(...fields.map(([label]) => label.length)) + 1;
  const text = [
    `${forwardedBy} forwarded work order ${wo.number} to you.`,
    ...(note ? ['', note] : []),
    '',
    ...fields.map(([label, value]) => `  ${`${label}:`.padEnd(width)} ${value}`),
    ...(wo.description ? ['', 'Description:', wo.description] : []),
    ...(records.length > 0
      ? ['', 'Latest entries:', ...records.map((r) => `  ${r.at}  ${describeRecord(r)}`)]
      : []),
    '',
    '-- ',
    'Field Service (automatic message)',
  ].join('\n');
  const paragraphs = (value: string) => escapeHtml(value).replace(/\n/g, '<br>');
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<p>${escapeHtml(forwardedBy)} forwarded work order <strong>${escapeHtml(wo.number)}</strong> to you.</p>
${note ? `<blockquote>${paragraphs(note)}</blockquote>` : ''}
<table>
${fields.map(([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('\n')}
</table>
${wo.description ? `<h3>Description</h3><p>${paragraphs(wo.description)}</p>` : ''}
${
  records.length > 0
    ? `<h3>Latest entries</h3><ul>${records
        .map((r) => `<li><time>${escapeHtml(r.at)}</time> ${escapeHtml(describeRecord(r))}</li>`)
        .join('')}</ul>`
    : ''
}
<p style="color:#666">Field Service (automatic message)</p>
</body></html>`;
  return { subject: workOrderSubject(wo), text, html };
}
