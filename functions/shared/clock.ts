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

/**
 * Monotonic within one container: ids made in the same millisecond count up
 * from the last one, so things created together (a work order's first
 * records) keep their order.
 */
export function ulidGenerator(clock: Clock = systemClock): IdGenerator {
  let lastTime = -1;
  let lastRandom = new Uint8Array(10);
  return {
    next: () => {
      const time = clock.now().getTime();
      if (time > lastTime) {
        lastTime = time;
        lastRandom = new Uint8Array(randomBytes(10));
        // Leave headroom so incrementing within the millisecond never overflows.
        lastRandom[0] = (lastRandom[0] ?? 0) & 0x7f;
      } else {
        for (let i = lastRandom.length - 1; i >= 0; i--) {
          lastRandom[i] = ((lastRandom[i] ?? 0) + 1) & 0xff;
          if (lastRandom[i] !== 0) break;
        }
      }
      return ulid(lastTime, lastRandom);
    },
  };
}
