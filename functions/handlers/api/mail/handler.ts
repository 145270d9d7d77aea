import { builtOnFirstCall } from '../../entry';
import { inboundMailApplication, type MailApplication } from '../../mail/inbound-mail-environment';
import { apiHandler } from '../http/api-handler';
import { implement, rawResponse } from '../http/route';
import { masterDataImplementations } from '../master-data-routes';
import { attachmentRoutes, mailboxRoutes, mailIntakeRoutes as routes } from './routes';

/**
 * Mailboxes, their intake rules and the decision records of inbound mail
 * (CRM admins), and the files mails brought to work orders (whoever may read
 * the work order).
 */
export function createHandler(app: Pick<MailApplication, 'mailIntake' | 'idempotency'>) {
  const { mailboxes, inboundMails, attachments } = app.mailIntake;
  const rulesOf = (mailbox: { rules: unknown; version: number }) => ({
    rules: mailbox.rules,
    version: mailbox.version,
  });
  return apiHandler(
    [
      ...masterDataImplementations(mailboxRoutes, mailboxes),
      implement(routes.getRules, async ({ principal, params }) =>
        rulesOf(await mailboxes.get(principal, params.id)),
      ),
      implement(routes.replaceRules, async ({ principal, params, body }) =>
        rulesOf(await mailboxes.replaceRules(principal, params.id, body.rules, body.version)),
      ),
      implement(routes.testRules, ({ principal, params, body }) =>
        mailboxes.testRules(principal, params.id, body.inboundMailId),
      ),
      implement(routes.listInboundMails, ({ principal, query }) => {
        const { mailboxId, decision, ...page } = query;
        return inboundMails.list(
          principal,
          { ...(mailboxId ? { mailboxId } : {}), ...(decision ? { decision } : {}) },
          page,
        );
      }),
      implement(routes.getInboundMail, ({ principal, params }) => inboundMails.get(principal, params.id)),
      implement(routes.getRawInboundMail, async ({ principal, params }) =>
        rawResponse('message/rfc822', await inboundMails.raw(principal, params.id), {
          'content-disposition': `attachment; filename="${params.id}.eml"`,
        }),
      ),
      implement(routes.replayInboundMail, ({ principal, params }) =>
        inboundMails.replay(principal, params.id),
      ),
      implement(attachmentRoutes.list, async ({ principal, params }) => ({
        items: await attachments.of(principal, params.id),
      })),
      implement(attachmentRoutes.download, ({ principal, params }) =>
        attachments.download(principal, params.id, params.attachmentId),
      ),
    ],
    { idempotency: app.idempotency },
  );
}

export const handler = builtOnFirstCall(() => createHandler(inboundMailApplication()));
