import * as z from 'zod/mini';
import { pageQuery } from '../../../domain/shared/schema';
import { SCENES } from '../../../domain/work-orders/scenes';

/** Which scene, sorted how, and which page: the list and its CSV export take the same query. */
export const sceneQuery = z.strictObject({
  scene: z._default(z.enum(SCENES), 'all'),
  sort: z.optional(z.enum(['created', 'updated'])),
  order: z.optional(z.enum(['asc', 'desc'])),
  limit: pageQuery.shape.limit,
  cursor: pageQuery.shape.cursor,
});
