import * as z from 'zod/mini';
import { type FieldError, ValidationError } from '../shared/errors';
import { singleLineText } from '../shared/schema';

/**
 * What the payment QR of a billing order carries: a tenant's own payment link,
 * or an EPC069-12 ("GiroCode") SEPA credit transfer that a banking app fills in.
 */

export const PLACEHOLDERS = [
  'orderId',
  'orderNumber',
  'amount',
  'amountMinor',
  'currency',
  'reference',
] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

/** The most bytes an EPC069-12 payload may have. */
export const MAX_EPC_BYTES = 331;
/** What a QR code at error-correction level M holds in byte mode: no longer URL fits in one. */
export const MAX_URL_BYTES = 2331;
/** 999 999 999.99 EUR, the largest amount of an EPC069-12 payload. */
const MAX_EPC_AMOUNT_MINOR = 99_999_999_999;

/**
 * Length of an IBAN in each SEPA country (SWIFT IBAN registry). An EPC QR code
 * starts a SEPA credit transfer, so an account outside SEPA cannot receive it.
 */
const SEPA_IBAN_LENGTHS: ReadonlyMap<string, number> = new Map(
  Object.entries({
    ...{ AD: 24, AL: 28, AT: 20, BE: 16, BG: 22, CH: 21, CY: 28, CZ: 24, DE: 22, DK: 18, EE: 20 },
    ...{ ES: 24, FI: 18, FR: 27, GB: 22, GI: 23, GR: 27, HR: 21, HU: 28, IE: 22, IS: 26, IT: 27 },
    ...{ LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MT: 31, NL: 18, NO: 15 },
    ...{ PL: 28, PT: 25, RO: 24, RS: 22, SE: 24, SI: 19, SK: 24, SM: 27, VA: 22 },
  }),
);

/** ISO 4217 currencies whose minor unit is not a hundredth; all others have two decimals. */
const MINOR_DIGITS: Readonly<Record<string, number>> = {
  ...{ BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0 },
  ...{ RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0 },
  ...{ BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3, CLF: 4, UYW: 4 },
};

/** Whether the mod-97 check of ISO 7064 holds, digit by digit so no number grows past 97 * 10. */
function mod97IsOne(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    for (const digit of String(Number.parseInt(char, 36))) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** What is wrong with an IBAN (already without spaces, in upper case), if anything. */
export function ibanProblem(iban: string): string | undefined {
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]+$/.test(iban))
    return 'An IBAN is a country code, two check digits and the account in letters and digits';
  const country = iban.slice(0, 2);
  const length = SEPA_IBAN_LENGTHS.get(country);
  if (length === undefined) return `IBAN country ${country} is not in SEPA`;
  if (iban.length !== length) return `An IBAN of ${country} has ${length} characters, not ${iban.length}`;
  if (!mod97IsOne(iban)) return 'The IBAN check digits do not match: a character is wrong';
  return undefined;
}

/** What is wrong with a URL template, if anything: see `urlTemplateSettings`. */
function templateProblem(template: string): string | undefined {
  if (!/^https:\/\//i.test(template)) return 'Must be an https:// URL';
  if (!/^[\x21-\x7e]+$/.test(template))
    return 'Must be printable ASCII without spaces: percent-encode the rest';
  const unknown = [...template.matchAll(/\{([^{}]*)\}/g)]
    .map((match) => match[1] ?? '')
    .filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
  if (unknown.length > 0)
    return `Unknown placeholder {${unknown[0]}}: known are ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`;
  if (/[{}]/.test(template.replace(/\{[A-Za-z]+\}/g, ''))) return 'A brace must enclose a placeholder';
  const authority = template.slice('https://'.length).split(/[/?#]/, 1)[0] ?? '';
  if (authority.includes('{'))
    return 'Placeholders may not stand in the host, where they could send the payer elsewhere';
  const sample = template.replace(/\{[A-Za-z]+\}/g, '0');
  if (authority === '' || !URL.canParse(sample) || new URL(sample).protocol !== 'https:')
    return 'Must be a valid https:// URL';
  return undefined;
}

/** A string check from a function naming what is wrong. */
const problemCheck = (problem: (value: string) => string | undefined) =>
  z.check<string>((ctx) => {
    const message = problem(ctx.value);
    if (message) ctx.issues.push({ code: 'custom', message, input: ctx.value });
  });

/** Single-line text that can be UTF-8 and URL encoded: no lone surrogate halves. */
const encodableText = (max: number) =>
  singleLineText(max).check(
    z.refine((value) => !/[\uD800-\uDFFF]/u.test(value), 'Must not contain unpaired surrogate characters'),
  );

/** A payment link of the tenant's payment provider, filled in per order. */
const urlTemplateSettings = z.strictObject({
  kind: z.literal('url-template'),
  template: z.string().check(z.trim(), z.minLength(1), z.maxLength(2000), problemCheck(templateProblem)),
});

/** The account an EPC QR code pays into; an IBAN may be written in groups and in lower case. */
const sepaSettings = z.strictObject({
  kind: z.literal('sepa-credit-transfer'),
  iban: z.string().check(
    z.overwrite((value) => value.replace(/\s+/g, '').toUpperCase()),
    problemCheck(ibanProblem),
  ),
  bic: z.optional(
    z.string().check(
      z.overwrite((value) => value.trim().toUpperCase()),
      z.regex(
        /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/,
        'A BIC is 8 or 11 characters: bank (4 letters), country (2 letters), location (2), branch (3, optional)',
      ),
    ),
  ),
  beneficiary: encodableText(70),
});

export const paymentSettingsSchema = z.discriminatedUnion('kind', [urlTemplateSettings, sepaSettings]);
export type PaymentSettings = z.infer<typeof paymentSettingsSchema>;

/** The order a payment is asked for; amounts in minor units, so they stay exact. */
const paymentOrderSchema = z.object({
  id: encodableText(64),
  number: encodableText(64),
  totalMinor: z.int().check(z.gte(1, 'A payment is at least one minor unit')),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'Must be an ISO 4217 currency code')),
  /** What the payer's bank shows the tenant; it is refused rather than cut, so it always names the order. */
  reference: encodableText(140),
});
export type PaymentOrder = z.input<typeof paymentOrderSchema>;

function parsed<T>(schema: z.ZodMiniType<T>, value: unknown, field: string, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields: FieldError[] = result.error.issues.map((issue) => ({
    field: [field, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new ValidationError(`The ${what} are not valid`, fields);
}

const refusal = (field: string, message: string) => new ValidationError(message, [{ field, message }]);
const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/** An amount in minor units as a decimal with a dot, from its digits: no floating point rounds it. */
export function decimalAmount(minor: number, currency: string): string {
  const digits = MINOR_DIGITS[currency] ?? 2;
  const text = String(minor).padStart(digits + 1, '0');
  return digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

function fillTemplate(template: string, order: z.output<typeof paymentOrderSchema>): string {
  const values: Record<Placeholder, string> = {
    orderId: order.id,
    orderNumber: order.number,
    amount: decimalAmount(order.totalMinor, order.currency),
    amountMinor: String(order.totalMinor),
    currency: order.currency,
    reference: order.reference,
  };
  const url = template.replace(/\{([A-Za-z]+)\}/g, (_match, name: Placeholder) =>
    encodeURIComponent(values[name]),
  );
  const bytes = utf8Bytes(url);
  if (bytes > MAX_URL_BYTES)
    throw refusal(
      'settings.template',
      `Makes a URL of ${bytes} bytes, more than a QR code holds (${MAX_URL_BYTES})`,
    );
  return url;
}

function epcPayload(settings: z.output<typeof sepaSettings>, order: z.output<typeof paymentOrderSchema>) {
  if (order.currency !== 'EUR')
    throw refusal('order.currency', `A SEPA credit transfer is in EUR only, not ${order.currency}`);
  if (order.totalMinor > MAX_EPC_AMOUNT_MINOR)
    throw refusal('order.totalMinor', 'An EPC QR code is for at most 999999999.99 EUR');
  const lines = ['BCD', '002', '1', 'SCT', settings.bic ?? '', settings.beneficiary, settings.iban];
  // Amount, purpose (none), structured remittance (none), then the reference as unstructured remittance.
  lines.push(`EUR${decimalAmount(order.totalMinor, 'EUR')}`, '', '', order.reference);
  const payload = lines.join('\n');
  const bytes = utf8Bytes(payload);
  if (bytes > MAX_EPC_BYTES)
    throw refusal('order.reference', `Makes an EPC payload of ${bytes} bytes, more than ${MAX_EPC_BYTES}`);
  return payload;
}

/**
 * The text of the payment QR of an order. Settings are checked again here,
 * since a stored setting may predate a rule, and a line break smuggled into
 * a name would shift every later line of an EPC payload.
 */
export function paymentPayload(settings: PaymentSettings, order: PaymentOrder): string {
  const valid = parsed(paymentSettingsSchema, settings, 'settings', 'payment settings');
  const validOrder = parsed(paymentOrderSchema, order, 'order', 'order payment details');
  return valid.kind === 'url-template'
    ? fillTemplate(valid.template, validOrder)
    : epcPayload(valid, validOrder);
}
