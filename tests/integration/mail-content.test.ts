import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMail } from '../../functions/domain/inbound-mail/inbound-mail';
import { type MailStack, sesEnvelope, startMailStack } from '../helpers/mail-stack';
import { customerMail, tenantTools, workOrderCount } from '../helpers/mailboxes';

/*
 * What a mail's content does: SES verdicts and mail the parser refuses are
 * quarantined and kept, and a mail's files are stored, listed and refused.
 */

const TENANT = 'content';
const DOMAIN = 'content.example';
let stack: MailStack;
const { admin, mailbox } = tenantTools(() => stack, TENANT, DOMAIN);

/** Base64 in lines of 76, as MIME writes it. */
const base64 = (bytes: Buffer) => (bytes.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');

beforeAll(async () => {
  stack = await startMailStack();
  await stack.api.createTenant(TENANT);
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

describe('what is kept out before a mail is read', () => {
  it.each([
    ['spam', { spam: 'FAIL' }, 'SES spam verdict FAIL'],
    ['virus', { virus: 'FAIL' }, 'SES virus verdict FAIL'],
  ] as const)('a %s FAIL is quarantined: no work order, no mail sent', async (kind, failed, reason) => {
    const box = await mailbox(`verdict-${kind}`);
    const orders = await workOrderCount(stack, TENANT);
    const sent = stack.outbox().length;
    const envelope = sesEnvelope({
      receiptId: `ses0verdict0${kind}0000000000000001`,
      recipients: [box.address],
      mailFrom: 'lena@customer.example',
      verdicts: failed,
    });
    const raw = Buffer.from(
      customerMail({ from: 'lena@customer.example', to: box.address, subject: 'Cheap' }),
    );
    await stack.local.mailFolder.store(envelope.receiptId, raw);
    await stack.invokeAsSes(envelope);
    const [record] = (await stack.decisions(TENANT, box.id)) as [InboundMail];
    expect(record).toMatchObject({
      decision: 'quarantined-verdict',
      reason,
      verdicts: envelope.verdicts,
      size: raw.byteLength,
    });
    expect(record.workOrderId).toBeUndefined();
    expect(await workOrderCount(stack, TENANT)).toBe(orders);
    expect(stack.outbox()).toHaveLength(sent);
  });

  it('a mail the parser refuses is quarantined with the parse error, and kept byte for byte', async () => {
    const box = await mailbox('unparseable');
    const orders = await workOrderCount(stack, TENANT);
    const sent = stack.outbox().length;
    // 40 nested multiparts: deeper than the parser's limit of 32. One raw Latin-1 byte (é) on the way.
    const depth = 40;
    const parts: string[] = [];
    for (let level = 0; level < depth; level++) {
      parts.push(`--b${level}`, `Content-Type: multipart/mixed; boundary="b${level + 1}"`, '');
    }
    parts.push(
      `--b${depth}`,
      'Content-Type: text/plain; charset=iso-8859-1',
      '',
      'caf\u00e9',
      `--b${depth}--`,
    );
    for (let level = depth - 1; level >= 0; level--) parts.push(`--b${level}--`);
    const raw = Buffer.from(
      [
        'From: Customer <lena@customer.example>',
        `To: ${box.address}`,
        'Subject: Deep',
        'Message-ID: <deep@customer.example>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b0"',
        '',
        ...parts,
        '',
      ].join('\r\n'),
      'latin1',
    );
    const record = await stack.deliver(
      raw,
      { from: 'lena@customer.example', to: box.address },
      { tenantId: TENANT, mailboxId: box.id },
    );
    expect(record.decision).toBe('quarantined-unparseable');
    expect(record.reason).toBe(
      'The mail could not be read: MIME structure refused: Maximum MIME nesting depth of 32 levels exceeded',
    );
    expect(record.size).toBe(raw.byteLength);
    expect(await workOrderCount(stack, TENANT)).toBe(orders);
    expect(stack.outbox()).toHaveLength(sent);

    const response = await fetch(`${stack.api.url}/inbound-mails/${record.id}/raw`, {
      headers: { authorization: `Bearer ${admin()}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('message/rfc822');
    expect(Buffer.from(await response.arrayBuffer()).equals(raw)).toBe(true);
  });
});

describe("a mail's files", () => {
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  );
  // Every byte value once, so a download that decodes or re-encodes anything differs.
  const pdf = Buffer.concat([
    Buffer.from('%PDF-1.4\n'),
    Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
    Buffer.from('\n%%EOF\n'),
  ]);
  const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(64, 0x90)]);

  function mailWithFiles(to: string): string {
    return [
      'From: Customer <ida@customer.example>',
      `To: ${to}`,
      'Subject: Photos of the boiler',
      'Message-ID: <files-1@customer.example>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="mixed"',
      '',
      '--mixed',
      'Content-Type: multipart/related; boundary="related"',
      '',
      '--related',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>The report is attached.</p><p>Ida</p><img src="cid:logo@customer.example">',
      '--related',
      'Content-Type: image/png; name="logo.png"',
      'Content-Transfer-Encoding: base64',
      'Content-ID: <logo@customer.example>',
      '',
      base64(png),
      '--related--',
      '--mixed',
      'Content-Type: application/pdf; name="report.pdf"',
      'Content-Transfer-Encoding: base64',
      'Content-Disposition: attachment; filename="report.pdf"',
      '',
      base64(pdf),
      '--mixed',
      'Content-Type: application/octet-stream; name="setup.exe"',
      'Content-Transfer-Encoding: base64',
      'Content-Disposition: attachment; filename="setup.exe"',
      '',
      base64(exe),
      '--mixed--',
      '',
    ].join('\r\n');
  }

  interface Attachment {
    id: string;
    filename: string;
    inline: boolean;
    contentId?: string;
    size: number;
  }

  it('are listed on the work order and download byte for byte; a refused one is recorded with its reason', async () => {
    const user = async (name: string) => {
      const created = await stack.api.request<{ id: string }>('POST', '/users', {
        token: admin(),
        body: { name, email: `${name}@${DOMAIN}`, roles: ['service-staff'] },
      });
      expect(created.status).toBe(201);
      return created.body.id;
    };
    const owner = await user('boiler-tech');
    const bystander = await user('bystander');
    const box = await mailbox('files', { defaultOwnerId: owner });
    const record = await stack.deliver(
      mailWithFiles(box.address),
      { from: 'ida@customer.example', to: box.address },
      { tenantId: TENANT, mailboxId: box.id },
    );
    expect(record.decision).toBe('created');
    const outcome = (filename: string) => record.attachments.find((a) => a.filename === filename);
    expect(record.attachments).toHaveLength(3);
    expect(outcome('report.pdf')).toMatchObject({
      stored: true,
      inline: false,
      mimeType: 'application/pdf',
      size: pdf.length,
    });
    expect(outcome('logo.png')).toMatchObject({
      stored: true,
      inline: true,
      mimeType: 'image/png',
      size: png.length,
    });
    expect(outcome('setup.exe')).toMatchObject({
      stored: false,
      refused: 'files named *.exe are not accepted',
    });
    expect(outcome('setup.exe')?.attachmentId).toBeUndefined();

    const path = `/work-orders/${record.workOrderId}/attachments`;
    const asOwner = stack.api.token(TENANT, owner, 'service-staff');
    const list = await stack.api.request<{ items: Attachment[] }>('GET', path, { token: asOwner });
    expect(list.status).toBe(200);
    const byName = new Map(list.body.items.map((a) => [a.filename, a]));
    expect([...byName.keys()].sort()).toEqual(['logo.png', 'report.pdf']);
    expect(byName.get('logo.png')).toMatchObject({ inline: true, contentId: '<logo@customer.example>' });
    expect(byName.get('report.pdf')).toMatchObject({ inline: false, size: pdf.length });

    for (const [filename, bytes] of [
      ['report.pdf', pdf],
      ['logo.png', png],
    ] as const) {
      const id = byName.get(filename)?.id;
      expect(id).toBe(outcome(filename)?.attachmentId);
      const link = await stack.api.request<{ url: string }>('GET', `${path}/${id}`, { token: asOwner });
      expect(link.status).toBe(200);
      const download = await fetch(link.body.url);
      expect(download.status).toBe(200);
      expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    }

    // Whoever may read the work order learns that a file was refused, and why.
    const timeline = await stack.api.request<{ items: { kind: string; data?: Record<string, unknown> }[] }>(
      'GET',
      `/work-orders/${record.workOrderId}/records?limit=100`,
      { token: asOwner },
    );
    const created = timeline.body.items.find((r) => r.kind === 'created');
    expect(created?.data?.refusedAttachments).toEqual([
      { filename: 'setup.exe', reason: 'files named *.exe are not accepted' },
    ]);

    const asBystander = stack.api.token(TENANT, bystander, 'service-staff');
    expect((await stack.api.request('GET', path, { token: asBystander })).status).toBe(404);
    const pdfId = byName.get('report.pdf')?.id;
    expect((await stack.api.request('GET', `${path}/${pdfId}`, { token: asBystander })).status).toBe(404);

    // A reply's refused file is told with the reply's comment.
    const reply = await stack.deliver(
      [
        'From: Customer <ida@customer.example>',
        `To: ${box.address}`,
        'Subject: Re: Photos of the boiler',
        'Message-ID: <files-2@customer.example>',
        'In-Reply-To: <files-1@customer.example>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="mixed"',
        '',
        '--mixed',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'And the script that fixes it.',
        '--mixed',
        'Content-Type: text/plain; name="fix.bat"',
        'Content-Disposition: attachment; filename="fix.bat"',
        '',
        'del *.*',
        '--mixed--',
        '',
      ].join('\r\n'),
      { from: 'ida@customer.example', to: box.address },
      { tenantId: TENANT, mailboxId: box.id },
    );
    expect(reply).toMatchObject({ decision: 'appended', workOrderId: record.workOrderId });
    const after = await stack.api.request<{ items: { kind: string; data?: Record<string, unknown> }[] }>(
      'GET',
      `/work-orders/${record.workOrderId}/records?limit=100`,
      { token: asOwner },
    );
    const comment = after.body.items.find((r) => r.kind === 'comment');
    expect(comment?.data?.refusedAttachments).toEqual([
      { filename: 'fix.bat', reason: 'files named *.bat are not accepted' },
    ]);
    expect(
      (await stack.api.request<{ items: unknown[] }>('GET', path, { token: asOwner })).body.items,
    ).toHaveLength(2);
  });
});
