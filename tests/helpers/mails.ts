/** A plain text mail as a mail client writes it, with CRLF line ends. */
export function plainMail(options: {
  from: string;
  to: string;
  subject: string;
  body: string;
  messageId?: string;
  headers?: string[];
}): string {
  return [
    `From: ${options.from}`,
    `To: ${options.to}`,
    `Subject: ${options.subject}`,
    ...(options.messageId ? [`Message-ID: ${options.messageId}`] : []),
    'Date: Wed, 02 Dec 2026 08:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    ...(options.headers ?? []),
    '',
    options.body,
    '',
  ].join('\r\n');
}

/** One header of a raw mail, unfolded; undefined when absent. */
export function headerOf(raw: string, name: string): string | undefined {
  const end = raw.indexOf('\r\n\r\n');
  const head = (end < 0 ? raw : raw.slice(0, end)).replace(/\r\n[ \t]/g, ' ');
  return head
    .split('\r\n')
    .find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    ?.slice(name.length + 1)
    .trim();
}
