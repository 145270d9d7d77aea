import { createContext, Script } from 'node:vm';
import EmailReplyParser from 'email-reply-parser';

/**
 * What the sender wrote this time: email-reply-parser's visible text, with
 * quoted history and signature stripped, or the whole text whenever that
 * cannot be had safely.
 *
 * The parser's quote-header patterns backtrack polynomially: measured on Node
 * 22, one 4,000-character line of `12:34 2024 from <a> ...` took 6 s and one of
 * 8,000 took 100 s. Two guards keep a mail from holding the function:
 * - lines longer than LONGEST_PARSED_LINE reach the parser as short
 *   placeholders and are put back afterwards, so a pasted log or an HTML body
 *   without line breaks still gets its quotes stripped;
 * - the parse runs under a time budget (a `vm` timeout, which interrupts a
 *   running regular expression); past it the reply is the whole text. The
 *   placeholders do not help against patterns that span lines, which only a
 *   deliberate input produces.
 */

/** A quote header or signature line is short; at this length the worst line costs ~50 ms. */
export const LONGEST_PARSED_LINE = 1_000;

/** Ordinary mails parse in well under a millisecond; the budget only stops hostile input. */
export const REPLY_BUDGET_MS = 500;

const parser = new EmailReplyParser();
const sandbox = createContext({});
const runParser = new Script('parse()');

const PLACEHOLDER_START = '\ue000';
const PLACEHOLDER_END = '\ue001';
// The placeholder with the `>` a quoted line was given, so the line comes back whole.
const PLACEHOLDER = />?\ue000(\d+)\ue001/g;

interface Shortened {
  text: string;
  longLines: string[];
}

function shortenLongLines(text: string): Shortened {
  const longLines: string[] = [];
  // Text that already holds the placeholder characters is parsed as it is; the budget still applies.
  if (text.includes(PLACEHOLDER_START) || text.includes(PLACEHOLDER_END)) return { text, longLines };
  const lines = text.split('\n').map((line) => {
    if (line.length <= LONGEST_PARSED_LINE) return line;
    longLines.push(line);
    // A leading `>` keeps a long quoted line quoted, as the parser reads quotes by that character.
    const quote = line.startsWith('>') ? '>' : '';
    return `${quote}${PLACEHOLDER_START}${longLines.length - 1}${PLACEHOLDER_END}`;
  });
  return { text: longLines.length === 0 ? text : lines.join('\n'), longLines };
}

function restoreLongLines(visible: string, longLines: string[]): string {
  if (longLines.length === 0) return visible;
  return visible.replace(PLACEHOLDER, (whole, index: string) => longLines[Number(index)] ?? whole);
}

function parseWithin(text: string, budgetMs: number): string | undefined {
  sandbox.parse = () => parser.parseReply(text);
  try {
    const visible: unknown = runParser.runInContext(sandbox, { timeout: budgetMs });
    return typeof visible === 'string' ? visible : undefined;
  } catch {
    // Over budget (ERR_SCRIPT_EXECUTION_TIMEOUT) or a parser failure: the caller keeps the whole text,
    // which loses nothing the sender wrote.
    return undefined;
  } finally {
    sandbox.parse = undefined;
  }
}

export function replyText(text: string, budgetMs: number = REPLY_BUDGET_MS): string {
  const normalised = text.replace(/\r\n?/g, '\n');
  if (normalised.trim() === '') return '';
  const shortened = shortenLongLines(normalised);
  const visible = parseWithin(shortened.text, budgetMs);
  if (visible === undefined) return normalised.trim();
  const reply = restoreLongLines(visible, shortened.longLines).trim();
  // A mail that is all quote (a bare forward) has no visible part; its text is then what was sent.
  return reply === '' ? normalised.trim() : reply;
}
