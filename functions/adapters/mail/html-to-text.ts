/**
 * Readable text from an HTML mail body, for mails that carry no text part.
 *
 * postal-mime has an HTML-to-text converter of its own, but it is not exported
 * (the package exports only its entry point) and it only runs when a message
 * mixes text and HTML parts. This one is a single pass over the markup, so its
 * time grows with the input and a hostile body cannot make it backtrack: tags
 * go, entities are decoded, block elements become line breaks, and the content
 * of `head`, `script`, `style`, `title`, `template` and Outlook's `xml` blocks is
 * dropped. Source whitespace collapses as a browser collapses it, except inside
 * `pre`; lines are trimmed, so `pre` keeps its line breaks but not its indentation.
 */

/** Elements whose start and end break the line. */
const LINE_BREAKING = new Set([
  'address',
  'article',
  'aside',
  'caption',
  'center',
  'dd',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'section',
  'tbody',
  'tfoot',
  'thead',
  'tr',
]);

/** Elements that stand apart from their neighbours by an empty line. */
const PARAGRAPHS = new Set([
  'blockquote',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ol',
  'p',
  'pre',
  'table',
  'ul',
]);

/** Elements whose content is not text for a reader. */
const HIDDEN_CONTENT = new Set(['head', 'script', 'style', 'template', 'title', 'xml']);

/** Table cells: kept apart on their row by a space. */
const CELLS = new Set(['td', 'th']);

/** HTML 4's Latin-1 entity names, in code point order from U+00A0. */
const LATIN1_NAMES =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 ' +
  'acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde ' +
  'Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc ' +
  'Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring ' +
  'aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml ' +
  'divide oslash ugrave uacute ucirc uuml yacute thorn yuml';

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  euro: '€',
  trade: '™',
  hellip: '…',
  ndash: '–',
  mdash: '—',
  lsquo: '‘',
  rsquo: '’',
  sbquo: '‚',
  ldquo: '“',
  rdquo: '”',
  bdquo: '„',
  bull: '•',
  dagger: '†',
  Dagger: '‡',
  permil: '‰',
  lsaquo: '‹',
  rsaquo: '›',
  OElig: 'Œ',
  oelig: 'œ',
  Scaron: 'Š',
  scaron: 'š',
  Yuml: 'Ÿ',
  fnof: 'ƒ',
  circ: 'ˆ',
  tilde: '˜',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  zwnj: '\u200c',
  zwj: '\u200d',
  lrm: '\u200e',
  rlm: '\u200f',
};
LATIN1_NAMES.split(' ').forEach((name, index) => {
  NAMED_ENTITIES[name] = String.fromCharCode(0xa0 + index);
});
// A non-breaking space reads as a space; left as U+00A0 it defeats every later trim and split.
NAMED_ENTITIES.nbsp = ' ';

// HTML reads character references 128–159 as windows-1252, as Outlook's markup expects (&#150; is a dash).
const windows1252 = new TextDecoder('windows-1252');

function codePoint(code: number): string {
  if (code >= 0x80 && code <= 0x9f) return windows1252.decode(Uint8Array.of(code));
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(code);
}

const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));?/g;

/** Decodes character references; an unknown name stays as written. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (whole, decimal?: string, hex?: string, name?: string) => {
    if (decimal !== undefined) return codePoint(Number.parseInt(decimal, 10));
    if (hex !== undefined) return codePoint(Number.parseInt(hex, 16));
    return (
      (name !== undefined && Object.hasOwn(NAMED_ENTITIES, name) ? NAMED_ENTITIES[name] : undefined) ?? whole
    );
  });
}

const NAME_START = /[A-Za-z]/;
const NAME_CHAR = /[A-Za-z0-9:_-]/;

/** Index just past the `>` that ends the tag opened at `start`, honouring quoted attribute values. */
function tagEnd(html: string, start: number): number {
  let i = start;
  while (i < html.length) {
    const c = html[i];
    if (c === '>') return i + 1;
    if (c === '"' || c === "'") {
      const close = html.indexOf(c, i + 1);
      // An unclosed quote: end the tag at its first `>` instead of swallowing the rest of the mail.
      if (close < 0) {
        const gt = html.indexOf('>', start);
        return gt < 0 ? html.length : gt + 1;
      }
      i = close + 1;
    } else i++;
  }
  return html.length;
}

export function htmlToText(html: string): string {
  const lower = html.toLowerCase();
  const out: string[] = [];
  // Breaks and cell gaps wait for the next text, so that adjacent block ends and starts
  // (`</tr><tr>`, `</li></ul><p>`) make one break instead of a stack of them.
  let pendingLines = 0;
  let pendingSpace = false;
  let preDepth = 0;
  const text = (raw: string) => {
    if (raw === '') return;
    const chunk = decodeEntities(
      preDepth > 0 ? raw.replace(/\r\n?/g, '\n') : raw.replace(/[ \t\r\n\f]+/g, ' '),
    );
    if (preDepth === 0 && chunk.trim() === '') {
      pendingSpace = true;
      return;
    }
    if (pendingLines > 0) out.push('\n'.repeat(pendingLines));
    else if (pendingSpace) out.push(' ');
    pendingLines = 0;
    pendingSpace = false;
    out.push(chunk);
  };
  const lineBreak = (lines: number) => {
    pendingLines = Math.max(pendingLines, lines);
  };

  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      text(html.slice(i));
      break;
    }
    text(html.slice(i, lt));
    i = lt;

    if (html.startsWith('<!--', i)) {
      const close = html.indexOf('-->', i + 4);
      i = close < 0 ? html.length : close + 3;
      continue;
    }
    const next = html[i + 1] ?? '';
    if (next === '!' || next === '?') {
      // Doctype, processing instruction, Outlook's `<![if ...]>`: no text.
      i = tagEnd(html, i + 2);
      continue;
    }
    const closing = next === '/';
    const nameStart = closing ? i + 2 : i + 1;
    if (!NAME_START.test(html[nameStart] ?? '')) {
      // A `<` that opens no tag is text, as in `a < b`.
      text('<');
      i++;
      continue;
    }
    let nameEnd = nameStart + 1;
    while (nameEnd < html.length && NAME_CHAR.test(html[nameEnd] ?? '')) nameEnd++;
    const name = lower.slice(nameStart, nameEnd);
    const end = tagEnd(html, nameEnd);
    const selfClosing = html[end - 2] === '/';
    i = end;

    if (!closing && !selfClosing && HIDDEN_CONTENT.has(name)) {
      const close = lower.indexOf(`</${name}`, i);
      // Unclosed, the element is ignored rather than taking the rest of the mail with it.
      if (close >= 0) i = tagEnd(html, close + name.length + 2);
      continue;
    }
    if (name === 'br') {
      // Each `<br>` counts: two of them leave an empty line.
      out.push('\n'.repeat(pendingLines));
      pendingLines = 1;
      pendingSpace = false;
    } else if (name === 'li' && !closing) {
      lineBreak(1);
      text('- ');
    } else if (PARAGRAPHS.has(name)) lineBreak(2);
    else if (LINE_BREAKING.has(name)) lineBreak(1);
    else if (CELLS.has(name) && !closing) pendingSpace = true;
    if (name === 'pre' && !selfClosing) preDepth = Math.max(0, preDepth + (closing ? -1 : 1));
  }

  const kept: string[] = [];
  for (const line of out.join('').split('\n')) {
    const trimmed = line.trim();
    // At most one empty line in a row.
    if (trimmed === '' && (kept.length === 0 || kept[kept.length - 1] === '')) continue;
    kept.push(trimmed);
  }
  while (kept[kept.length - 1] === '') kept.pop();
  return kept.join('\n');
}
