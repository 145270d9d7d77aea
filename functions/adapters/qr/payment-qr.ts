import { crc32, deflateSync } from 'node:zlib';
import { encode } from 'uqr';

/**
 * The payment QR of an order as an image: SVG for documents and web pages,
 * PNG for mail clients and PDF tools that do not take SVG.
 */

/** The light margin scanners need to find the code, in modules (ISO/IEC 18004). */
export const QUIET_ZONE = 4;
/**
 * Pixels per module of the PNG, and of the size the SVG asks for: enough for
 * a phone camera on paper, small enough for a mail.
 */
export const PIXELS_PER_MODULE = 4;

export interface QrImage<Body> {
  contentType: string;
  body: Body;
}

/**
 * Dark (true) and light modules, quiet zone included. The payload goes in as
 * UTF-8 bytes, so it is always byte mode, as EPC069-12 character set 1 expects;
 * level M is what EPC069-12 asks for, and the level is not raised on its own.
 */
export function qrModules(payload: string): boolean[][] {
  const bytes = Array.from(new TextEncoder().encode(payload));
  return encode(bytes, { ecc: 'M', boostEcc: false, border: QUIET_ZONE }).data;
}

/** The QR code as SVG: one square per module in the view box, runs of dark modules merged into one path. */
export function paymentQrSvg(payload: string, pixelsPerModule = PIXELS_PER_MODULE): QrImage<string> {
  const modules = qrModules(payload);
  const size = modules.length;
  const runs: string[] = [];
  modules.forEach((row, y) => {
    let x = 0;
    while (x < size) {
      if (!row[x]) {
        x += 1;
        continue;
      }
      const start = x;
      while (row[x]) x += 1;
      runs.push(`M${start} ${y}h${x - start}v1h-${x - start}z`);
    }
  });
  const pixels = size * pixelsPerModule;
  const body =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${pixels}" height="${pixels}" ` +
    `viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges">` +
    `<rect width="${size}" height="${size}" fill="#fff"/>` +
    `<path fill="#000" d="${runs.join('')}"/></svg>`;
  return { contentType: 'image/svg+xml', body };
}

/** The QR code as PNG: 1-bit greyscale, black on white, one filter byte of 0 (none) before each row. */
export function paymentQrPng(payload: string, pixelsPerModule = PIXELS_PER_MODULE): QrImage<Uint8Array> {
  const modules = qrModules(payload);
  const width = modules.length * pixelsPerModule;
  const stride = 1 + Math.ceil(width / 8);
  const raw = new Uint8Array(stride * width);
  for (let y = 0; y < width; y += 1) {
    const row = modules[Math.floor(y / pixelsPerModule)] ?? [];
    for (let x = 0; x < width; x += 1) {
      // In 1-bit greyscale a set bit is white; bits fill each byte from its high end.
      const at = y * stride + 1 + (x >> 3);
      if (!row[Math.floor(x / pixelsPerModule)]) raw[at] = (raw[at] ?? 0) | (0x80 >> (x & 7));
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, width);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, adaptive filtering, no interlace
  const body = concat([
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
  return { contentType: 'image/png', body };
}

/** A PNG chunk: length, type, data, and the CRC-32 of type and data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const typeAndData = concat([new TextEncoder().encode(type), data]);
  const out = new Uint8Array(typeAndData.length + 8);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(typeAndData, 4);
  view.setUint32(out.length - 4, crc32(typeAndData));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
