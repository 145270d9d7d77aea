import { describe, expect, it } from 'vitest';
import {
  evaluateRules,
  type IntakeRule,
  intakeRules,
  type PatternMatcher,
  type RuleInput,
} from '../../functions/domain/inbound-mail/intake-rules';

/** Runs patterns directly: the time limit is the adapter's business (pattern-matcher.test.ts). */
const plainMatcher: PatternMatcher = (pattern, text) => new RegExp(pattern, 'iu').test(text);

const mail: RuleInput = {
  sender: 'anna@customer.example',
  recipient: 'service@acme.example',
  subject: 'URGENT: boiler leaking',
  body: 'Water everywhere in the cellar.',
};

const rule = (name: string, conditions: IntakeRule['conditions'], action: IntakeRule['action']) => ({
  name,
  conditions,
  action,
});

describe('evaluateRules', () => {
  it('takes the first rule whose conditions hold, in the order of the list', () => {
    const rules = [
      rule('Newsletters', [{ field: 'subject', operator: 'contains', value: 'newsletter' }], {
        kind: 'ignore',
      }),
      rule('Urgent', [{ field: 'subject', operator: 'contains', value: 'urgent' }], {
        kind: 'create',
        priority: 'urgent',
      }),
      rule('Customers', [{ field: 'sender-domain', operator: 'equals', value: 'customer.example' }], {
        kind: 'create',
        priority: 'high',
      }),
    ];
    const { match, timedOut } = evaluateRules(rules, mail, plainMatcher);
    expect(match).toMatchObject({
      index: 1,
      rule: { name: 'Urgent' },
      because: ['subject contains "urgent"'],
    });
    expect(timedOut).toEqual([]);
  });

  it('needs every condition of a rule to hold, and names each in `because`', () => {
    const rules = [
      rule(
        'Leaks from customers',
        [
          { field: 'body', operator: 'contains', value: 'water' },
          { field: 'sender', operator: 'equals', value: 'someone-else@customer.example' },
        ],
        { kind: 'ignore' },
      ),
      rule(
        'Leaks',
        [
          { field: 'body', operator: 'matches', value: '^water\\b' },
          { field: 'recipient', operator: 'equals', value: 'SERVICE@acme.example' },
        ],
        { kind: 'append-only' },
      ),
    ];
    const { match } = evaluateRules(rules, mail, plainMatcher);
    expect(match?.index).toBe(1);
    expect(match?.because).toEqual(['body matches "^water\\\\b"', 'recipient equals "SERVICE@acme.example"']);
  });

  it('compares the sender domain as a whole, not as a suffix of the address', () => {
    const byDomain = (value: string) => [
      rule('Domain', [{ field: 'sender-domain', operator: 'equals', value }], { kind: 'ignore' }),
    ];
    expect(evaluateRules(byDomain('Customer.Example'), mail, plainMatcher).match?.index).toBe(0);
    expect(evaluateRules(byDomain('example'), mail, plainMatcher).match).toBeUndefined();
    const sub = { ...mail, sender: 'anna@mail.customer.example' };
    expect(evaluateRules(byDomain('customer.example'), sub, plainMatcher).match).toBeUndefined();
  });

  it('lets a rule without conditions match anything, and says so', () => {
    const { match } = evaluateRules([rule('Everything', [], { kind: 'append-only' })], mail, plainMatcher);
    expect(match?.because).toEqual(['no conditions']);
  });

  it('holds nothing when no rule matches', () => {
    const rules = [
      rule('Spam', [{ field: 'subject', operator: 'contains', value: 'viagra' }], { kind: 'ignore' }),
    ];
    expect(evaluateRules(rules, mail, plainMatcher)).toEqual({ timedOut: [] });
    expect(evaluateRules([], mail, plainMatcher)).toEqual({ timedOut: [] });
  });

  it('counts a pattern that ran out of time as not holding, reports it, and goes on to the next rule', () => {
    const slow: PatternMatcher = (pattern, text) =>
      pattern === '(a+)+$' ? 'timeout' : plainMatcher(pattern, text, 50);
    const rules = [
      rule('Catastrophic', [{ field: 'subject', operator: 'matches', value: '(a+)+$' }], { kind: 'ignore' }),
      rule('Rest', [{ field: 'subject', operator: 'matches', value: 'boiler' }], { kind: 'create' }),
    ];
    const { match, timedOut } = evaluateRules(rules, mail, slow);
    expect(match?.rule.name).toBe('Rest');
    expect(timedOut).toEqual(['rule 1, subject matches "(a+)+$"']);
  });
});

describe('the rules schema', () => {
  it('refuses a regular expression that does not compile, naming the value', () => {
    const result = intakeRules.safeParse([
      rule('Broken', [{ field: 'subject', operator: 'matches', value: '(unclosed' }], { kind: 'ignore' }),
    ]);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['0.conditions.0.value']);
  });

  it('takes the same text as a plain `contains` value', () => {
    const result = intakeRules.safeParse([
      rule('Literal', [{ field: 'subject', operator: 'contains', value: '(unclosed' }], { kind: 'ignore' }),
    ]);
    expect(result.success).toBe(true);
  });
});
