import * as z from 'zod/mini';

export const RECORD_KINDS = [
  'created',
  'comment',
  'edited',
  'status-changed',
  'assigned',
  'team-changed',
  'voided',
  'locked',
  'unlocked',
  'forwarded',
  'reminder-set',
  'email',
  /** A mail we send (a forward, a reminder) failed; the function retries it, then dead-letters it. */
  'mail-failed',
  /** Service products added, changed or removed; spare parts recorded. */
  'service-product',
  'spare-part',
  /** A step of a consumption confirmation: started, priced, approved or rejected, billed, released. */
  'consumption',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** One entry of a work order's timeline. Appended by every change; never edited. */
export interface ServiceRecord {
  id: string;
  workOrderId: string;
  at: string;
  kind: RecordKind;
  actorId?: string;
  text?: string;
  data?: Record<string, unknown>;
}

export const serviceRecordSchema = z.object({
  id: z.string(),
  workOrderId: z.string(),
  at: z.string(),
  kind: z.enum(RECORD_KINDS),
  actorId: z.optional(z.string()),
  text: z.optional(z.string()),
  data: z.optional(z.record(z.string(), z.unknown())),
});

export const commentInput = z.strictObject({
  text: z.string().check(z.trim(), z.minLength(1), z.maxLength(10_000)),
});

/** A new timeline entry, stamped with the context's clock and a fresh id. */
export function newRecord(
  context: { clock: { now(): Date }; ids: { next(): string } },
  workOrderId: string,
  kind: RecordKind,
  actorId: string | undefined,
  extra: { text?: string; data?: Record<string, unknown> } = {},
): ServiceRecord {
  return {
    id: context.ids.next(),
    workOrderId,
    at: context.clock.now().toISOString(),
    kind,
    ...(actorId ? { actorId } : {}),
    ...(extra.text ? { text: extra.text } : {}),
    ...(extra.data ? { data: extra.data } : {}),
  };
}
