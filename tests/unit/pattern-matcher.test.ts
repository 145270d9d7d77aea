import { describe, expect, it } from 'vitest';
import { timedPatternMatcher } from '../../functions/adapters/mail/pattern-matcher';

/** `(a+)+$` needs about 2^n steps on n a's and a character that stops the match: ~80 s on 30 here. */
const CATASTROPHIC = { pattern: '(a+)+$', text: `${'a'.repeat(30)}!` };

describe('timedPatternMatcher', () => {
  it('matches as a case-insensitive Unicode regular expression', () => {
    expect(timedPatternMatcher('^boiler\\s+leak', 'BOILER  leaking', 50)).toBe(true);
    expect(timedPatternMatcher('\\p{L}+ü', 'Grüße aus München', 50)).toBe(true);
    expect(timedPatternMatcher('^leak', 'boiler leak', 50)).toBe(false);
  });

  it('stops a catastrophic pattern at the time limit and says so', () => {
    const started = Date.now();
    expect(timedPatternMatcher(CATASTROPHIC.pattern, CATASTROPHIC.text, 20)).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('still works after a timeout, with the text of the call', () => {
    expect(timedPatternMatcher(CATASTROPHIC.pattern, CATASTROPHIC.text, 20)).toBe('timeout');
    expect(timedPatternMatcher('^a+$', 'aaa', 50)).toBe(true);
    expect(timedPatternMatcher('^a+$', 'aab', 50)).toBe(false);
  });

  it('treats a pattern that does not compile as not matching', () => {
    expect(timedPatternMatcher('(unclosed', 'anything (unclosed', 50)).toBe(false);
  });
});
