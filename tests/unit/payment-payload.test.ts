import { describe, expect, it } from 'vitest';
import {
  decimalAmount,
  type PaymentOrder,
  type PaymentSettings,
  paymentPayload,
  paymentSettingsSchema,
} from '../../functions/domain/billing/payment-payload';
import { ValidationError } from '../../functions/domain/shared/errors';

const IBANS = [
  'DE89370400440532013000',
  'AT611904300234573201',
  'NL91ABNA0417164300',
  'FR1420041010050500013M02606',
];

const sepa = (fields: Record<string, unknown> = {}) => ({
  kind: 'sepa-credit-transfer',
  iban: 'DE89370400440532013000',
  bic: 'COBADEFFXXX',
  beneficiary: 'Kälte Müller GmbH',
  ...fields,
});
const order = (fields: Partial<PaymentOrder> = {}): PaymentOrder => ({
  id: 'so_01HZX',
  number: 'SO-2024-0042',
  totalMinor: 1250,
  currency: 'EUR',
  reference: 'Order SO-2024-0042',
  ...fields,
});
/** The messages of what the schema refuses, by field. */
const refusals = (settings: unknown) =>
  (paymentSettingsSchema.safeParse(settings).error?.issues ?? []).map((issue) => [
    issue.path.join('.'),
    issue.message,
  ]);
const refusalOf = (act: () => unknown): ValidationError => {
  try {
    act();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('Expected a ValidationError');
};

describe('the IBAN of SEPA payment settings', () => {
  it.each(IBANS)('accepts %s', (iban) => {
    expect(refusals(sepa({ iban }))).toEqual([]);
  });

  it.each(IBANS)('refuses %s with any one digit changed', (iban) => {
    for (let index = 2; index < iban.length; index += 1) {
      const char = iban[index] ?? '';
      if (!/[0-9]/.test(char)) continue;
      const changed = `${iban.slice(0, index)}${(Number(char) + 1) % 10}${iban.slice(index + 1)}`;
      expect(refusals(sepa({ iban: changed })), changed).toEqual([
        ['iban', 'The IBAN check digits do not match: a character is wrong'],
      ]);
    }
  });

  it('takes an IBAN written in groups and in lower case, and keeps it without spaces in upper case', () => {
    expect(paymentSettingsSchema.parse(sepa({ iban: ' de89 3704 0044 0532 0130 00 ' }))).toMatchObject({
      iban: 'DE89370400440532013000',
    });
  });

  it.each([
    ['DE8937040044053201300', 'An IBAN of DE has 22 characters, not 21'],
    ['NL91ABNA04171643000', 'An IBAN of NL has 18 characters, not 19'],
    ['BR1800360305000010009795493C1', 'IBAN country BR is not in SEPA'],
    [
      'DE89-3704-0044-0532-0130-00',
      'An IBAN is a country code, two check digits and the account in letters and digits',
    ],
    ['', 'An IBAN is a country code, two check digits and the account in letters and digits'],
  ])('refuses %j: %s', (iban, message) => {
    expect(refusals(sepa({ iban }))).toEqual([['iban', message]]);
  });
});

describe('the rest of SEPA payment settings', () => {
  it.each(['COBADEFF', 'COBADEFFXXX', 'cobadeff'])('accepts the BIC %s', (bic) => {
    expect(refusals(sepa({ bic }))).toEqual([]);
  });

  it.each(['COBADEF', 'COBADEFFXX', 'COBA1EFF', 'COBADEFFXXXX', ''])('refuses the BIC %j', (bic) => {
    expect(refusals(sepa({ bic }))).toEqual([
      ['bic', expect.stringContaining('A BIC is 8 or 11 characters')],
    ]);
  });

  it('takes settings without a BIC', () => {
    expect(refusals(sepa({ bic: undefined }))).toEqual([]);
  });

  it.each([
    ['  ', 'Too small'],
    ['x'.repeat(71), 'Too big'],
    ['Kälte\nMüller', 'Must not contain line breaks or control characters'],
  ])('refuses the beneficiary %j', (beneficiary, message) => {
    expect(refusals(sepa({ beneficiary }))).toEqual([['beneficiary', expect.stringContaining(message)]]);
  });

  it('takes a beneficiary of 70 characters, trimmed', () => {
    expect(paymentSettingsSchema.parse(sepa({ beneficiary: ` ${'x'.repeat(70)} ` }))).toMatchObject({
      beneficiary: 'x'.repeat(70),
    });
  });
});

describe('URL template payment settings', () => {
  const template = (value: string) => ({ kind: 'url-template', template: value });

  it('accepts an https URL with the known placeholders in path and query', () => {
    const value =
      'https://pay.example.com/o/{orderId}?n={orderNumber}&a={amount}&m={amountMinor}&c={currency}&r={reference}';
    expect(refusals(template(value))).toEqual([]);
  });

  it.each([
    ['http://pay.example.com/{orderId}', 'Must be an https:// URL'],
    ['pay.example.com/{orderId}', 'Must be an https:// URL'],
    ['https://pay.example.com/{orderID}', 'Unknown placeholder {orderID}'],
    ['https://pay.example.com/{}', 'Unknown placeholder {}'],
    ['https://pay.example.com/{orderId', 'A brace must enclose a placeholder'],
    ['https://{reference}.example.com/', 'Placeholders may not stand in the host'],
    ['https://pay.example.com{reference}', 'Placeholders may not stand in the host'],
    ['https://pay.example.com/a b', 'Must be printable ASCII without spaces'],
    ['https:///{orderId}', 'Must be a valid https:// URL'],
    ['https://?r={reference}', 'Must be a valid https:// URL'],
    [`https://pay.example.com/?x=${'a'.repeat(2000)}`, 'Too big'],
  ])('refuses %j', (value, message) => {
    expect(refusals(template(value))).toEqual([['template', expect.stringContaining(message)]]);
  });

  it('refuses a kind it does not know', () => {
    expect(refusals({ kind: 'paypal', template: 'https://pay.example.com/' })).toEqual([
      ['kind', expect.any(String)],
    ]);
  });
});

describe('amounts in minor units as decimals', () => {
  it.each([
    [1250, 'EUR', '12.50'],
    [5, 'EUR', '0.05'],
    [100000, 'EUR', '1000.00'],
    [99_999_999_999, 'EUR', '999999999.99'],
    [9_007_199_254_740_991, 'EUR', '90071992547409.91'],
    [1250, 'JPY', '1250'],
    [1250, 'KWD', '1.250'],
  ])('writes %d %s as %s', (minor, currency, decimal) => {
    expect(decimalAmount(minor, currency)).toBe(decimal);
  });
});

describe('the EPC payload of SEPA settings', () => {
  it('has the EPC069-12 lines of version 002 in UTF-8, without a final line break', () => {
    const payload = paymentPayload(sepa() as PaymentSettings, order());

    expect(payload.split('\n')).toEqual([
      'BCD',
      '002',
      '1',
      'SCT',
      'COBADEFFXXX',
      'Kälte Müller GmbH',
      'DE89370400440532013000',
      'EUR12.50',
      '',
      '',
      'Order SO-2024-0042',
    ]);
    expect(payload.endsWith('\n')).toBe(false);
  });

  it.each([
    [5, 'EUR0.05'],
    [100000, 'EUR1000.00'],
    [99_999_999_999, 'EUR999999999.99'],
  ])('writes %d minor units as %s', (totalMinor, amount) => {
    expect(paymentPayload(sepa() as PaymentSettings, order({ totalMinor })).split('\n')[7]).toBe(amount);
  });

  it('leaves the BIC line empty without a BIC, and writes the IBAN without spaces in upper case', () => {
    const settings = {
      kind: 'sepa-credit-transfer',
      iban: 'nl91 abna 0417 1643 00',
      beneficiary: 'A',
    } as const;
    const lines = paymentPayload(settings, order()).split('\n');
    expect([lines[4], lines[6]]).toEqual(['', 'NL91ABNA0417164300']);
  });

  it.each(['USD', 'CHF'])('refuses an order in %s', (currency) => {
    const error = refusalOf(() => paymentPayload(sepa() as PaymentSettings, order({ currency })));
    expect(error.fields).toEqual([
      { field: 'order.currency', message: `A SEPA credit transfer is in EUR only, not ${currency}` },
    ]);
  });

  it.each([
    [0, 'order.totalMinor'],
    [-100, 'order.totalMinor'],
    [12.5, 'order.totalMinor'],
    [100_000_000_000, 'order.totalMinor'],
  ])('refuses %d minor units', (totalMinor, field) => {
    const error = refusalOf(() => paymentPayload(sepa() as PaymentSettings, order({ totalMinor })));
    expect(error.fields.map((fieldError) => fieldError.field)).toEqual([field]);
  });

  it('takes a reference of 140 characters and refuses one longer rather than cut it', () => {
    const longest = paymentPayload(sepa() as PaymentSettings, order({ reference: 'r'.repeat(140) }));
    expect(longest.split('\n')[10]).toBe('r'.repeat(140));

    const error = refusalOf(() =>
      paymentPayload(sepa() as PaymentSettings, order({ reference: 'r'.repeat(141) })),
    );
    expect(error.fields).toEqual([{ field: 'order.reference', message: expect.stringContaining('Too big') }]);
  });

  it('refuses a payload of more than 331 bytes in UTF-8', () => {
    const error = refusalOf(() =>
      paymentPayload(sepa() as PaymentSettings, order({ reference: '€'.repeat(100) })),
    );
    expect(error.fields).toEqual([
      {
        field: 'order.reference',
        message: expect.stringContaining('Makes an EPC payload of 380 bytes, more than 331'),
      },
    ]);
  });

  it('refuses a line break in the reference, which would shift the lines', () => {
    const error = refusalOf(() => paymentPayload(sepa() as PaymentSettings, order({ reference: 'a\nb' })));
    expect(error.fields.map((fieldError) => fieldError.field)).toEqual(['order.reference']);
  });

  it('checks settings handed to it without the schema', () => {
    const settings = sepa({ iban: 'DE89370400440532013001' }) as PaymentSettings;
    const error = refusalOf(() => paymentPayload(settings, order()));
    expect(error.fields).toEqual([
      { field: 'settings.iban', message: 'The IBAN check digits do not match: a character is wrong' },
    ]);
  });
});

describe('the URL of URL template settings', () => {
  const settings = (template: string): PaymentSettings => ({ kind: 'url-template', template });

  it('fills in every placeholder, URL-encoded', () => {
    const url = paymentPayload(
      settings('https://pay.example.com/o/{orderId}?n={orderNumber}&a={amount}&m={amountMinor}&c={currency}'),
      order({ id: 'so/1', number: 'SO 7' }),
    );
    expect(url).toBe('https://pay.example.com/o/so%2F1?n=SO%207&a=12.50&m=1250&c=EUR');
  });

  it('encodes characters of the reference that would end or change a query', () => {
    const url = paymentPayload(
      settings('https://pay.example.com/?r={reference}&r2={reference}'),
      order({ reference: 'Rechnung 7/24 & Co #1 ?=ä' }),
    );
    expect(url).toBe(
      'https://pay.example.com/?r=Rechnung%207%2F24%20%26%20Co%20%231%20%3F%3D%C3%A4' +
        '&r2=Rechnung%207%2F24%20%26%20Co%20%231%20%3F%3D%C3%A4',
    );
  });

  it('writes the amount in the minor unit of its currency and takes any currency', () => {
    const template = settings('https://pay.example.com/?a={amount}&c={currency}');
    expect(paymentPayload(template, order({ totalMinor: 1250, currency: 'JPY' }))).toBe(
      'https://pay.example.com/?a=1250&c=JPY',
    );
    expect(paymentPayload(template, order({ totalMinor: 1250, currency: 'USD' }))).toBe(
      'https://pay.example.com/?a=12.50&c=USD',
    );
  });

  it('refuses a stored template that is no longer valid', () => {
    const error = refusalOf(() => paymentPayload(settings('http://pay.example.com/{orderId}'), order()));
    expect(error.fields).toEqual([{ field: 'settings.template', message: 'Must be an https:// URL' }]);
  });

  it('refuses a URL that no QR code holds', () => {
    const template = settings(`https://pay.example.com/?${'{reference}'.repeat(150)}`);
    const error = refusalOf(() => paymentPayload(template, order({ reference: 'ä'.repeat(140) })));
    expect(error.fields).toEqual([
      { field: 'settings.template', message: expect.stringContaining('more than a QR code holds (2331)') },
    ]);
  });
});
