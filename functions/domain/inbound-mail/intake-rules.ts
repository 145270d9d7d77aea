import * as z from 'zod/mini';
import { identifier, text } from '../shared/schema';
import { PRIORITIES } from '../work-orders/work-order';
import type { ParsedMessage } from './message';

/*
 * Intake rules of a mailbox: ordered, the first whose conditions all hold
 * decides what a mail that starts a new thread becomes. Replies to a thread
 * are appended whatever the rules say.
 */

/** Most rules per mailbox, and most conditions per rule: the rules live on the mailbox item. */
export const MAX_RULES = 50;
export const MAX_CONDITIONS = 10;
/** A regular expression runs at most this long per mail field; past it the condition does not hold. */
export const PATTERN_TIME_LIMIT_MS = 50;
/** How much of a body the conditions look at: a 40 MB mail is not searched whole. */
export const BODY_SEARCH_LIMIT = 100_000;

export const CONDITION_FIELDS = ['sender', 'sender-domain', 'recipient', 'subject', 'body'] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];

const condition = z
  .strictObject({
    field: z.enum(CONDITION_FIELDS),
    operator: z.enum(['equals', 'contains', 'matches']),
    value: text(500),
  })
  .check(
    z.refine((c) => c.operator !== 'matches' || compiles(c.value), {
      message: 'Must be a valid regular expression',
      path: ['value'],
    }),
  );

const action = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('create'),
    typeId: z.optional(identifier),
    priority: z.optional(z.enum(PRIORITIES)),
    ownerId: z.optional(identifier),
    team: z.optional(
      z
        .array(z.strictObject({ userId: identifier, access: z.enum(['read-only', 'read-write']) }))
        .check(z.maxLength(30)),
    ),
  }),
  /** Replies are appended; a mail that would start a new work order is ignored. */
  z.strictObject({ kind: z.literal('append-only') }),
  z.strictObject({ kind: z.literal('ignore') }),
]);

export const intakeRule = z.strictObject({
  name: text(100),
  conditions: z.array(condition).check(z.maxLength(MAX_CONDITIONS)),
  action,
});

export const intakeRules = z.array(intakeRule).check(z.maxLength(MAX_RULES));

export type IntakeCondition = z.infer<typeof condition>;
export type IntakeAction = z.infer<typeof action>;
export type IntakeRule = z.infer<typeof intakeRule>;

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'iu');
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a regular expression with a time limit (a pattern such as `(a+)+$`
 * can take hours on a short line): 'timeout' when it did not finish.
 */
export type PatternMatcher = (pattern: string, text: string, timeLimitMs: number) => boolean | 'timeout';

/** What the rules look at in one mail. */
export interface RuleInput {
  sender: string;
  recipient: string;
  subject: string;
  body: string;
}

export function ruleInput(message: ParsedMessage, sender: string, recipient: string): RuleInput {
  return {
    sender,
    recipient,
    subject: message.subject,
    body: message.text.slice(0, BODY_SEARCH_LIMIT),
  };
}

export interface RuleMatch {
  /** Position in the mailbox's list, from 0. */
  index: number;
  rule: IntakeRule;
  /** Why it matched, one line per condition, e.g. `subject contains "urgent"`. */
  because: string[];
}

export interface RuleEvaluation {
  match?: RuleMatch;
  /** Conditions whose pattern ran out of time, e.g. `rule 2, subject matches "(a+)+$"`. */
  timedOut: string[];
}

/** The first rule whose conditions all hold (a rule without conditions always holds). */
export function evaluateRules(
  rules: readonly IntakeRule[],
  input: RuleInput,
  matcher: PatternMatcher,
): RuleEvaluation {
  const timedOut: string[] = [];
  for (const [index, rule] of rules.entries()) {
    const because: string[] = [];
    const holds = rule.conditions.every((c) => {
      const result = holdsFor(c, input, matcher);
      if (result === 'timeout') timedOut.push(`rule ${index + 1}, ${describe(c)}`);
      if (result === true) because.push(describe(c));
      return result === true;
    });
    if (holds) {
      return { match: { index, rule, because: because.length > 0 ? because : ['no conditions'] }, timedOut };
    }
  }
  return { timedOut };
}

function fieldValue(field: ConditionField, input: RuleInput): string {
  switch (field) {
    case 'sender':
      return input.sender;
    case 'sender-domain':
      return input.sender.slice(input.sender.lastIndexOf('@') + 1);
    case 'recipient':
      return input.recipient;
    case 'subject':
      return input.subject;
    case 'body':
      return input.body;
  }
}

function holdsFor(c: IntakeCondition, input: RuleInput, matcher: PatternMatcher): boolean | 'timeout' {
  const value = fieldValue(c.field, input);
  switch (c.operator) {
    case 'equals':
      return value.toLowerCase() === c.value.toLowerCase();
    case 'contains':
      return value.toLowerCase().includes(c.value.toLowerCase());
    case 'matches':
      return matcher(c.value, value, PATTERN_TIME_LIMIT_MS);
  }
}

const describe = (c: IntakeCondition) => `${c.field} ${c.operator} ${JSON.stringify(c.value)}`;
