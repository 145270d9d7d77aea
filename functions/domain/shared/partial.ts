import * as z from 'zod/mini';

/**
 * The PATCH shape of a create shape: every field may be left out, and the
 * optional ones may be sent as null to remove them.
 */
export function partial<S extends Record<string, z.ZodMiniType>>(
  shape: S,
): { [K in keyof S]: z.ZodMiniOptional<z.ZodMiniNullable<S[K]>> } {
  return Object.fromEntries(
    Object.entries(shape).map(([k, v]) => [
      k,
      v._zod.def.type === 'optional' ? z.optional(z.nullable(v)) : z.optional(v),
    ]),
  ) as { [K in keyof S]: z.ZodMiniOptional<z.ZodMiniNullable<S[K]>> };
}

/** Applies a PATCH: fields sent as null are removed, absent fields are kept. */
export function applyChanges<T extends object>(entity: T, changes: Record<string, unknown>): T {
  const next = { ...entity } as Record<string, unknown>;
  for (const [field, value] of Object.entries(changes)) {
    if (field === 'version' || value === undefined) continue;
    if (value === null) delete next[field];
    else next[field] = value;
  }
  return next as T;
}
