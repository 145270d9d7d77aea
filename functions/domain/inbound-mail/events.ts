import * as z from 'zod/mini';
import { DECISIONS } from './inbound-mail';

/** `InboundEmailProcessed` (source `fieldservice.mail`): one per decided mail. */
export const inboundEmailProcessedDetail = z.object({
  inboundMailId: z.string(),
  mailboxId: z.string(),
  decision: z.enum(DECISIONS),
  workOrderId: z.optional(z.string()),
  threadSignal: z.optional(z.enum(['in-reply-to', 'references', 'reply-token', 'subject-tag'])),
});

export type InboundEmailProcessedDetail = z.infer<typeof inboundEmailProcessedDetail>;
