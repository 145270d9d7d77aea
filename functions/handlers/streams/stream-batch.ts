import * as z from 'zod/mini';

const image = z.optional(z.record(z.string(), z.unknown()));

/**
 * A DynamoDB stream batch as Lambda delivers it, as far as the stream readers
 * look at it: each record's images are checked by the reader that uses them.
 */
export const streamBatch = z.object({
  Records: z.array(
    z.object({
      eventID: z.optional(z.string()),
      eventName: z.optional(z.string()),
      dynamodb: z.optional(
        z.object({ SequenceNumber: z.optional(z.string()), NewImage: image, OldImage: image }),
      ),
    }),
  ),
});
