import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// English messages for validation errors (zod/mini ships none by default).
z.config(en());

export const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
export const optionalText = (max: number) => z.optional(text(max));
export const identifier = z
  .string()
  .check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, 'Must be letters, digits, _ or -'));
export const email = z.string().check(z.trim(), z.toLowerCase(), z.maxLength(254), z.email());
export const phone = z.string().check(z.trim(), z.regex(/^\+?[0-9 ()./-]{3,32}$/, 'Must be a phone number'));
export const isoTimestamp = z.string().check(z.iso.datetime({ offset: true }));

export const address = z.strictObject({
  street: optionalText(200),
  postalCode: optionalText(20),
  city: optionalText(100),
  region: optionalText(100),
  country: z.optional(z.string().check(z.regex(/^[A-Z]{2}$/, 'Must be an ISO 3166-1 alpha-2 country code'))),
});
export type Address = z.infer<typeof address>;

/** Money in minor units (cents), so sums are exact. */
export const money = z.strictObject({
  amount: z.int().check(z.gte(0), z.lte(1_000_000_000_00)),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'Must be an ISO 4217 currency code')),
});
export type Money = z.infer<typeof money>;

/** Expected version of a PATCH: optimistic locking. */
export const expectedVersion = z.int().check(z.gte(1));

/** The fields every entity carries, for response schemas. */
export const entityFields = {
  id: z.string(),
  tenantId: z.string(),
  version: z.int(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

export const pageQuery = z.strictObject({
  limit: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(100))),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
});

export const idParams = z.strictObject({ id: identifier });
