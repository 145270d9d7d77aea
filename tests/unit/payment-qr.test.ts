import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import {
  PIXELS_PER_MODULE,
  paymentQrPng,
  paymentQrSvg,
  QUIET_ZONE,
  qrModules,
} from '../../functions/adapters/qr/payment-qr';
import { MAX_URL_BYTES, paymentPayload } from '../../functions/domain/billing/payment-payload';

const EPC = paymentPayload(
  {
    kind: 'sepa-credit-transfer',
    iban: 'DE89370400440532013000',
    bic: 'COBADEFFXXX',
    beneficiary: 'Kälte Müller',
  },
  { id: 'so_1', number: 'SO-42', totalMinor: 1250, currency: 'EUR', reference: 'Order SO-42' },
);
/** The longest EPC payload there is in ASCII: an 11-character BIC, a Maltese IBAN, 70 and 140 characters. */
const LONGEST_EPC = paymentPayload(
  {
    kind: 'sepa-credit-transfer',
    iban: 'MT84MALT011000012345MTLCAST001S',
    bic: 'MALTMTMTXXX',
    beneficiary: 'b'.repeat(70),
  },
  { id: 'so_1', number: 'SO-42', totalMinor: 99_999_999_999, currency: 'EUR', reference: 'r'.repeat(140) },
);
const URL_PAYLOAD = 'https://pay.example.com/o/so_1?amount=12.50&ref=Order%20SO-42';
const PAYLOADS = [EPC, LONGEST_EPC, URL_PAYLOAD];

/** CRC-32 of ISO 3309 bit by bit, independent of the one the adapter uses. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunks(png: Uint8Array) {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: { type: string; data: Uint8Array; crcMatches: boolean }[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = view.getUint32(offset);
    const typeAndData = png.subarray(offset + 4, offset + 8 + length);
    const type = new TextDecoder().decode(typeAndData.subarray(0, 4));
    const crcMatches = view.getUint32(offset + 8 + length) === crc32(typeAndData);
    chunks.push({ type, data: typeAndData.subarray(4), crcMatches });
    offset += 12 + length;
  }
  return chunks;
}

/** Whether every dark and light module of the PNG, read at its centre, is the module of the code. */
function pngModules(png: PNG): boolean[][] {
  const size = png.width / PIXELS_PER_MODULE;
  const centre = Math.floor(PIXELS_PER_MODULE / 2);
  return Array.from({ length: size }, (_, y) =>
    Array.from({ length: size }, (_, x) => {
      const at = ((y * PIXELS_PER_MODULE + centre) * png.width + x * PIXELS_PER_MODULE + centre) * 4;
      return png.data[at] === 0;
    }),
  );
}

/** Enough of XML 1.0 to tell a well-formed SVG: one root, balanced tags, quoted unique attributes. */
function wellFormed(xml: string): boolean {
  const token = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*="[^"<&]*")*)\s*(\/?)>|[^<&]+/y;
  const open: string[] = [];
  let roots = 0;
  while (token.lastIndex < xml.length) {
    const match = token.exec(xml);
    if (!match) return false;
    const [text, closing, name, attributes = '', selfClosing] = match;
    if (name === undefined) {
      if (open.length === 0 && text.trim() !== '') return false;
      continue;
    }
    if (closing) {
      if (attributes !== '' || selfClosing || open.pop() !== name) return false;
      continue;
    }
    if (open.length === 0) roots += 1;
    const names = [...attributes.matchAll(/([\w.:-]+)=/g)].map((found) => found[1]);
    if (new Set(names).size !== names.length) return false;
    if (!selfClosing) open.push(name);
  }
  return open.length === 0 && roots === 1;
}

/** The dark modules the runs of an SVG path draw, on a grid of `size`. */
function svgModules(d: string, size: number): boolean[][] {
  expect(d).toMatch(/^(M\d+ \d+h\d+v1h-\d+z)+$/);
  const grid = Array.from({ length: size }, () => Array.from({ length: size }, () => false));
  for (const [, x, y, width] of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    for (let column = Number(x); column < Number(x) + Number(width); column += 1) {
      const row = grid[Number(y)];
      if (row) row[column] = true;
    }
  }
  return grid;
}

/** The error-correction level in the format information next to the top-left finder pattern. */
function errorCorrectionLevel(modules: boolean[][]): string {
  const at = (x: number, y: number) => (modules[y + QUIET_ZONE]?.[x + QUIET_ZONE] ? 1 : 0);
  // The two highest bits of the format, masked with 10, are at (0, 8) and (1, 8).
  const bits = ((at(0, 8) ^ 1) << 1) | at(1, 8);
  return ['M', 'L', 'H', 'Q'][bits] ?? '?';
}

describe('the PNG of a payment QR', () => {
  it.each(PAYLOADS)('decodes to its payload: %j', (payload) => {
    const { contentType, body } = paymentQrPng(payload);
    const png = PNG.sync.read(Buffer.from(body));

    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);

    expect(contentType).toBe('image/png');
    expect(decoded?.data).toBe(payload);
    expect(decoded?.binaryData).toEqual([...new TextEncoder().encode(payload)]);
  });

  it('is a PNG of IHDR, IDAT and IEND chunks with matching CRCs', () => {
    const { body } = paymentQrPng(EPC);

    const chunks = pngChunks(body);

    expect([...body.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(chunks.map(({ type, crcMatches }) => [type, crcMatches])).toEqual([
      ['IHDR', true],
      ['IDAT', true],
      ['IEND', true],
    ]);
    const size = qrModules(EPC).length * PIXELS_PER_MODULE;
    const header = new DataView(chunks[0]?.data.slice().buffer ?? new ArrayBuffer(0));
    expect([header.getUint32(0), header.getUint32(4), ...new Uint8Array(header.buffer).slice(8)]).toEqual([
      size,
      size,
      1,
      0,
      0,
      0,
      0,
    ]);
    expect(chunks[2]?.data.length).toBe(0);
  });

  it('is black on white, four pixels a module, with a light quiet zone of four modules', () => {
    const png = PNG.sync.read(Buffer.from(paymentQrPng(EPC).body));
    const modules = qrModules(EPC);

    const colours = new Set<string>();
    for (let at = 0; at < png.data.length; at += 4) colours.add([...png.data.subarray(at, at + 4)].join(','));

    expect([...colours].sort()).toEqual(['0,0,0,255', '255,255,255,255']);
    expect(png.width).toBe(modules.length * 4);
    expect(pngModules(png)).toEqual(modules);
    const zone = modules.flatMap((row, y) =>
      row.filter((_, x) => Math.min(x, y, modules.length - 1 - x, modules.length - 1 - y) < 4),
    );
    expect(zone.some(Boolean)).toBe(false);
    // The corner of the top-left finder pattern is dark: the zone is no wider than four modules.
    expect(modules[4]?.[4]).toBe(true);
  });
});

describe('the SVG of a payment QR', () => {
  it.each(PAYLOADS)('is well-formed SVG that draws the modules of the PNG: %j', (payload) => {
    const { contentType, body } = paymentQrSvg(payload);
    const size = qrModules(payload).length;
    const png = PNG.sync.read(Buffer.from(paymentQrPng(payload).body));

    expect(contentType).toBe('image/svg+xml');
    expect(wellFormed(body)).toBe(true);
    expect(body).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" /);
    expect(body).toContain(` viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges"`);
    expect(body).toContain(`<rect width="${size}" height="${size}" fill="#fff"/>`);
    const d = /<path fill="#000" d="([^"]*)"\/>/.exec(body)?.[1] ?? '';
    expect(svgModules(d, size)).toEqual(pngModules(png));
  });

  it('tells a malformed SVG from a well-formed one', () => {
    expect(wellFormed('<svg xmlns="x"><path d="M0 0"/></svg>')).toBe(true);
    expect(wellFormed('<svg><path></svg>')).toBe(false);
    expect(wellFormed('<svg a="1" a="2"/>')).toBe(false);
    expect(wellFormed('<svg/><svg/>')).toBe(false);
    expect(wellFormed('<svg d="a<b"/>')).toBe(false);
  });
});

describe('the QR code of a payment', () => {
  // The last fits version 1 at level Q as well: the level must not be raised where it would fit.
  it.each([...PAYLOADS, 'https://a.b'])('has error-correction level M, as EPC069-12 asks: %j', (payload) => {
    expect(errorCorrectionLevel(qrModules(payload))).toBe('M');
  });

  it('holds the longest URL the domain lets through, and no longer one', () => {
    const longest = `https://pay.example.com/?r=${'a'.repeat(MAX_URL_BYTES - 27)}`;
    const png = PNG.sync.read(Buffer.from(paymentQrPng(longest).body));

    expect(longest).toHaveLength(MAX_URL_BYTES);
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(longest);
    expect(() => qrModules(`${longest}a`)).toThrow(RangeError);
  });
});
