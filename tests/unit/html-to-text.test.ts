import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText } from '../../functions/adapters/mail/html-to-text';

describe('htmlToText', () => {
  it('turns paragraphs, divs, line breaks and list items into lines', () => {
    const html =
      '<p>Hello,</p><div>the boiler<br>leaks.</div><ul><li>Room 1</li><li>Room 2</li></ul><p>Anna</p>';

    expect(htmlToText(html)).toBe('Hello,\n\nthe boiler\nleaks.\n\n- Room 1\n- Room 2\n\nAnna');
  });

  it('counts every line break: two make an empty line', () => {
    expect(htmlToText('Hello<br><br>Anna<br/>Field team')).toBe('Hello\n\nAnna\nField team');
  });

  it('keeps no tag, and reads tag names in any case', () => {
    const text = htmlToText('<HTML><BODY><DIV><FONT face=Arial>Hi <B>there</B></FONT></DIV></BODY></HTML>');

    expect(text).toBe('Hi there');
  });

  it('collapses source whitespace as a browser does', () => {
    expect(htmlToText('<p>one\n   two\t\tthree</p>\n\n\n<p>  four  </p>')).toBe('one two three\n\nfour');
  });

  it('drops the head, scripts, styles, titles, comments and Outlook conditional blocks', () => {
    const html =
      '<html><head><title>Ticket</title><style>p { color: red }</style><xml><o:PixelsPerInch>96</o:PixelsPerInch></xml></head>' +
      '<body><!--[if gte mso 9]>hidden<![endif]--><script>alert("x")</script><![if !supportLists]>' +
      '<p>Visible</p><!-- a comment --></body></html>';

    expect(htmlToText(html)).toBe('Visible');
  });

  it('keeps a row of table cells on one line and rows apart', () => {
    expect(
      htmlToText('<table><tr><td>Device</td><td>Boiler</td></tr><tr><td>Room</td><td>2</td></tr></table>'),
    ).toBe('Device Boiler\nRoom 2');
  });

  it('ends a tag at its `>` outside quoted attribute values', () => {
    expect(htmlToText('<a title="a > b" href=\'x>y\'>link</a> after')).toBe('link after');
  });

  it('ends a tag with an unclosed quote at its first `>`, not at the end of the mail', () => {
    expect(htmlToText('<p class="oops>First</p><p>Second</p>')).toBe('First\n\nSecond');
  });

  it('keeps a `<` that opens no tag', () => {
    expect(htmlToText('<p>pressure < 2 bar & falling</p>')).toBe('pressure < 2 bar & falling');
  });

  it('keeps the line breaks of preformatted text', () => {
    expect(htmlToText('<pre>line 1\nline 2</pre><p>a\nb</p>')).toBe('line 1\nline 2\n\na b');
  });

  it('keeps an unclosed style element from swallowing the text after it', () => {
    expect(htmlToText('<style>p {}<p>Text</p>')).toBe('p {}\n\nText');
  });

  it('goes through a long mail in one pass', () => {
    // Half a million tags and stray `<`: a converter that rescans the rest of the input per tag
    // would not finish within the test timeout.
    const html = `${'<div><b>x</b> < '.repeat(100_000)}<p class="never closed`;

    const text = htmlToText(html);

    expect(text.split('\n')).toHaveLength(100_000);
  });
});

describe('decodeEntities', () => {
  it.each([
    ['&amp; &lt; &gt; &quot; &apos;', '& < > " \''],
    ['Gr&uuml;&szlig;e &Auml;rger &eacute;t&eacute;', 'Grüße Ärger été'],
    ['&euro;5 &ndash; &hellip; &copy;', '€5 – … ©'],
    ['a&nbsp;b', 'a b'],
    ['&#228; &#xE4; &#XE4;', 'ä ä ä'],
    ['&#128512;', '😀'],
    // HTML reads 128–159 as windows-1252, as Outlook means them.
    ['&#150; &#128; &#147;x&#148;', '– € “x”'],
    ['&#0; &#xD800; &#1114112;', '\ufffd \ufffd \ufffd'],
    ['&unknown; & &amp', '&unknown; & &'],
    ['&constructor; &toString;', '&constructor; &toString;'],
  ])('%s', (input, expected) => {
    expect(decodeEntities(input)).toBe(expected);
  });
});
