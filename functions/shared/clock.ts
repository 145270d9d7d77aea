import { randomBytes } from 'node:crypto';

/** Injected so tests control time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Injected so tests control identifiers. */
export interface IdGenerator {
  next(): string;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * ULIDs: 48 bits of milliseconds then 80 random bits, Crockford base32.
 * They sort by creation time, which is what list pages are ordered by.
 */
export function ulid(timeMs: number, random: Uint8Array = randomBytes(10)): string {
  let time = '';
  let t = timeMs;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD.charAt(t % 32) + time;
    t = Math.floor(t / 32);
  }
  let bits = 0;
  let value = 0;
  let rest = '';
  for (const byte of random) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      rest += CROCKFORD.charAt((value >>> (bits - 5)) & 31);
      bits -= 5;
    }
  }
  return time + rest;
}

export function ulidGenerator(clock: Clock = systemClock): IdGenerator {
  return { next: () => ulid(clock.now().getTime()) };
}
