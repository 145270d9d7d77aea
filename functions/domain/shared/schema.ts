import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// English messages for validation errors (zod/mini ships none by default).
z.config(en());

export const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
export const optionalText = (max: number) => z.optional(text(max));

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what these refuse.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above, but line breaks and tabs may stay.
const CONTROLS_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Text shown on one line (a title, a subject): no line breaks, tabs or other control characters. */
export const singleLineText = (max: number) =>
  text(max).check(
    z.refine((value) => !CONTROLS.test(value), 'Must not contain line breaks or control characters'),
  );
/** Text of several lines (a description): line breaks and tabs, but no other control characters. */
export const multiLineText = (max: number) =>
  text(max).check(
    z.refine(
      (value) => !CONTROLS_BUT_LINES.test(value),
      'Must not contain control characters other than line breaks and tabs',
    ),
  );

/**
 * A whole number in a query string, written as plain decimal digits: `1e1`,
 * `0x10`, `010`, ` 10` or `+5` are not taken for numbers.
 */
export const decimalInt = (min: number, max: number) =>
  z.pipe(
    z.string().check(z.regex(/^(0|[1-9][0-9]{0,15})$/, 'Must be a whole number in plain decimal digits')),
    z.pipe(z.transform(Number), z.int().check(z.gte(min), z.lte(max))),
  );
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
  limit: z.optional(decimalInt(1, 100)),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
});

export const idParams = z.strictObject({ id: identifier });
