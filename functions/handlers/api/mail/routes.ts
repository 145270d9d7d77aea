import * as z from 'zod/mini';
import { DECISIONS, inboundMailSchema } from '../../../domain/inbound-mail/inbound-mail';
import { intakeRule } from '../../../domain/inbound-mail/intake-rules';
import {
  createMailboxInput,
  mailboxSchema,
  replaceRulesInput,
  updateMailboxInput,
} from '../../../domain/inbound-mail/mailbox';
import { identifier, idParams, pageQuery } from '../../../domain/shared/schema';
import { defineRoute } from '../http/route';
import { listResponse, masterDataRoutes } from '../master-data-routes';

const TAG = 'Mail intake';

export const mailboxRoutes = masterDataRoutes({
  basePath: '/mailboxes',
  tag: TAG,
  singular: 'Mailbox',
  plural: 'Mailboxes',
  create: createMailboxInput,
  update: updateMailboxInput,
  entity: mailboxSchema,
});

const rulesResponse = z.object({ rules: z.array(intakeRule), version: z.int() });

export const mailIntakeRoutes = {
  getRules: defineRoute({
    method: 'GET',
    path: '/mailboxes/{id}/rules',
    operationId: 'getMailboxRules',
    summary: "A mailbox's intake rules, in order (the first whose conditions all hold decides)",
    tag: TAG,
    params: idParams,
    response: rulesResponse,
    status: 200,
  }),
  replaceRules: defineRoute({
    method: 'PUT',
    path: '/mailboxes/{id}/rules',
    operationId: 'replaceMailboxRules',
    summary:
      "Replace a mailbox's intake rules as a whole (send the mailbox version you read to avoid overwriting)",
    tag: TAG,
    params: idParams,
    body: replaceRulesInput,
    response: rulesResponse,
    status: 200,
  }),
  testRules: defineRoute({
    method: 'POST',
    path: '/mailboxes/{id}/rules/test',
    operationId: 'testMailboxRules',
    summary: 'Run the rules against a stored inbound mail: which rule matches, and why',
    tag: TAG,
    params: idParams,
    body: z.strictObject({ inboundMailId: identifier }),
    response: z.object({
      inboundMailId: z.string(),
      matched: z.nullable(
        z.object({ index: z.int(), name: z.string(), because: z.array(z.string()), action: z.unknown() }),
      ),
      timedOut: z.array(z.string()),
      note: z.optional(z.string()),
    }),
    status: 200,
  }),
  listInboundMails: defineRoute({
    method: 'GET',
    path: '/inbound-mails',
    operationId: 'listInboundMails',
    summary: 'Decision records of inbound mail, newest first; filter by mailbox and decision',
    tag: TAG,
    query: z.strictObject({
      mailboxId: z.optional(identifier),
      decision: z.optional(z.enum(DECISIONS)),
      limit: pageQuery.shape.limit,
      cursor: pageQuery.shape.cursor,
    }),
    response: listResponse(inboundMailSchema),
    status: 200,
  }),
  getInboundMail: defineRoute({
    method: 'GET',
    path: '/inbound-mails/{id}',
    operationId: 'getInboundMail',
    summary: "One inbound mail's decision trace: what it was, what it became and why",
    tag: TAG,
    params: idParams,
    response: inboundMailSchema,
    status: 200,
  }),
  getRawInboundMail: defineRoute({
    method: 'GET',
    path: '/inbound-mails/{id}/raw',
    operationId: 'getRawInboundMail',
    summary: 'The mail as received, byte for byte (message/rfc822)',
    tag: TAG,
    params: idParams,
    responseBody: 'message/rfc822',
    status: 200,
  }),
  replayInboundMail: defineRoute({
    method: 'POST',
    path: '/inbound-mails/{id}/replay',
    operationId: 'replayInboundMail',
    summary:
      "Decide a held, ignored or quarantined mail again under today's rules; replaying it twice has one effect",
    tag: TAG,
    params: idParams,
    response: z.object({
      replayed: z.object({ id: z.string(), decision: z.enum(DECISIONS) }),
      mail: inboundMailSchema,
      changed: z.boolean(),
      summary: z.string(),
    }),
    status: 200,
  }),
};

const attachmentSchema = z.object({
  id: z.string(),
  workOrderId: z.string(),
  filename: z.string(),
  mimeType: z.string(),
  size: z.int(),
  inline: z.boolean(),
  contentId: z.optional(z.string()),
  inboundMailId: z.string(),
  createdAt: z.string(),
});

export const attachmentRoutes = {
  list: defineRoute({
    method: 'GET',
    path: '/work-orders/{id}/attachments',
    operationId: 'listWorkOrderAttachments',
    summary: "The files of a work order (those its customers' mails brought; inline images marked inline)",
    tag: 'Work orders',
    params: idParams,
    response: z.object({ items: z.array(attachmentSchema) }),
    status: 200,
  }),
  download: defineRoute({
    method: 'GET',
    path: '/work-orders/{id}/attachments/{attachmentId}',
    operationId: 'downloadWorkOrderAttachment',
    summary: 'A link that downloads one file for a few minutes',
    tag: 'Work orders',
    params: z.strictObject({ id: identifier, attachmentId: identifier }),
    response: z.object({ attachment: attachmentSchema, url: z.string(), expiresInSeconds: z.int() }),
    status: 200,
  }),
};

export const allMailRoutes = [
  ...Object.values(mailboxRoutes),
  ...Object.values(mailIntakeRoutes),
  ...Object.values(attachmentRoutes),
];
