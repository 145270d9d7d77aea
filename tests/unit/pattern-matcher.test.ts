import { describe, expect, it } from 'vitest';
import { timedPatternMatcher } from '../../functions/adapters/mail/pattern-matcher';

/** `(a+)+$` needs about 2^n steps on n a's and a character that stops the match: ~80 s on 30 here. */
const CATASTROPHIC = { pattern: '(a+)+$', text: `${'a'.repeat(30)}!` };
/** Ample for a pattern that finishes: a busy machine must not turn a match into a timeout here. */
const AMPLE = 1_000;

describe('timedPatternMatcher', () => {
  it('matches as a case-insensitive Unicode regular expression', () => {
    expect(timedPatternMatcher('^boiler\\s+leak', 'BOILER  leaking', AMPLE)).toBe(true);
    expect(timedPatternMatcher('\\p{L}+ü', 'Grüße aus München', AMPLE)).toBe(true);
    expect(timedPatternMatcher('^leak', 'boiler leak', AMPLE)).toBe(false);
  });

  it('stops a catastrophic pattern at the time limit and says so', () => {
    const started = Date.now();
    expect(timedPatternMatcher(CATASTROPHIC.pattern, CATASTROPHIC.text, 20)).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('still works after a timeout, with the text of the call', () => {
    expect(timedPatternMatcher(CATASTROPHIC.pattern, CATASTROPHIC.text, 20)).toBe('timeout');
    expect(timedPatternMatcher('^a+$', 'aaa', AMPLE)).toBe(true);
    expect(timedPatternMatcher('^a+$', 'aab', AMPLE)).toBe(false);
  });

  it('treats a pattern that does not compile as not matching', () => {
    expect(timedPatternMatcher('(unclosed', 'anything (unclosed', AMPLE)).toBe(false);
  });
});
