import { expect } from 'vitest';
import type { InboundMail } from '../../functions/domain/inbound-mail/inbound-mail';
import type { WorkOrder } from '../../functions/domain/work-orders/work-order';
import type { MailStack } from './mail-stack';
import { plainMail } from './mails';

/** A mailbox as the tests address it. */
export interface TestMailbox {
  tenantId: string;
  id: string;
  address: string;
  version: number;
}

export const adminToken = (stack: MailStack, tenantId: string) =>
  stack.api.token(tenantId, 'admin', 'crm-admin');

/** A mailbox created by the tenant's CRM admin through the API. */
export async function createMailbox(
  stack: MailStack,
  tenantId: string,
  address: string,
  settings: Record<string, unknown> = {},
): Promise<TestMailbox> {
  const created = await stack.api.request<{ id: string; version: number }>('POST', '/mailboxes', {
    token: adminToken(stack, tenantId),
    body: { address, ...settings },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { tenantId, id: created.body.id, address, version: created.body.version };
}

let sequence = 0;

/** A customer's plain mail with a Message-ID of its own. */
export function customerMail(options: {
  from: string;
  to: string;
  subject: string;
  body?: string;
  headers?: string[];
}): string {
  return plainMail({
    from: `Customer <${options.from}>`,
    to: options.to,
    subject: options.subject,
    body: options.body ?? 'Please have a look.',
    messageId: `<request-${++sequence}-${Date.now()}@customer.example>`,
    ...(options.headers ? { headers: options.headers } : {}),
  });
}

/** A customer's mail delivered over SMTP; its decision record once the delivery ended. */
export function deliverRequest(
  stack: MailStack,
  box: TestMailbox,
  from: string,
  subject: string,
  options: { body?: string; headers?: string[]; to?: string } = {},
): Promise<InboundMail> {
  const to = options.to ?? box.address;
  return stack.deliver(
    customerMail({ from, to, subject, ...options }),
    { from, to },
    { tenantId: box.tenantId, mailboxId: box.id },
  );
}

/** How many work orders the tenant's CRM admin sees. */
export async function workOrderCount(stack: MailStack, tenantId: string): Promise<number> {
  const list = await stack.api.request<{ items: unknown[] }>('GET', '/work-orders?limit=100', {
    token: adminToken(stack, tenantId),
  });
  expect(list.status).toBe(200);
  return list.body.items.length;
}

/**
 * What a test file of one tenant says most: its admin's token, a mailbox of
 * its domain, a customer's mail delivered, a work order read as the admin.
 */
export function tenantTools(stack: () => MailStack, tenantId: string, domain: string) {
  const admin = () => adminToken(stack(), tenantId);
  return {
    admin,
    mailbox: (name: string, settings: Record<string, unknown> = {}) =>
      createMailbox(stack(), tenantId, `${name}@${domain}`, settings),
    deliver: (
      box: TestMailbox,
      from: string,
      subject: string,
      options: { body?: string; headers?: string[]; to?: string } = {},
    ) => deliverRequest(stack(), box, from, subject, options),
    workOrder: async (id: string | undefined): Promise<WorkOrder> => {
      const response = await stack().api.request<WorkOrder>('GET', `/work-orders/${id}`, { token: admin() });
      expect(response.status).toBe(200);
      return response.body;
    },
  };
}
