import { describe, expect, it } from 'vitest';
import { parseMail } from '../../functions/adapters/mail/parse-mail';
import {
  type AutomaticKind,
  automaticMail,
  automaticSignals,
} from '../../functions/domain/inbound-mail/automatic';
import type { ParsedMessage } from '../../functions/domain/inbound-mail/message';
import { automaticMailHeaders } from '../../functions/domain/shared/mail';
import { corpusMail, mailCorpus, mailCorpusOrNone } from '../helpers/mail-corpus';

const MAILBOX = 'service@acme.example';
const ourAddresses = (address: string) => address === MAILBOX;
const person = { mailFrom: 'anna@customer.example' };

/** A person's plain mail to the service mailbox, with the given header fields on top. */
function message(fields: [string, string][] = [], overrides: Partial<ParsedMessage> = {}): ParsedMessage {
  return {
    headers: [
      { name: 'from', value: 'Anna <anna@customer.example>' },
      { name: 'to', value: MAILBOX },
      ...fields.map(([name, value]) => ({ name: name.toLowerCase(), value })),
    ],
    from: { address: 'anna@customer.example', name: 'Anna' },
    replyTo: [],
    to: [{ address: MAILBOX, name: '' }],
    cc: [],
    subject: 'Boiler leaking',
    inReplyTo: [],
    references: [],
    contentType: 'text/plain',
    text: 'The boiler in room 2 leaks.',
    reply: 'The boiler in room 2 leaks.',
    attachments: [],
    ...overrides,
  };
}

describe('automaticMail: each rule', () => {
  it.each<[string, ParsedMessage, string, AutomaticKind, string]>([
    // description, message, envelope sender, kind, detail
    ['our own X-Loop', message([['X-Loop', MAILBOX]]), person.mailFrom, 'own-loop', `X-Loop: ${MAILBOX}`],
    [
      'our own X-Loop with a display name, in capitals',
      message([['X-Loop', 'Field Service <SERVICE@ACME.example>']]),
      person.mailFrom,
      'own-loop',
      'X-Loop: Field Service <SERVICE@ACME.example>',
    ],
    [
      'our own X-Loop among others',
      message([
        ['X-Loop', 'owner@bugs.example'],
        ['X-Loop', MAILBOX],
      ]),
      person.mailFrom,
      'own-loop',
      `X-Loop: ${MAILBOX}`,
    ],
    [
      'Auto-Submitted: auto-replied',
      message([['Auto-Submitted', 'auto-replied']]),
      person.mailFrom,
      'auto-submitted',
      'Auto-Submitted: auto-replied',
    ],
    [
      'Auto-Submitted in capitals with a parameter',
      message([['Auto-Submitted', 'Auto-Generated; owner-email="x@y.example"']]),
      person.mailFrom,
      'auto-submitted',
      'Auto-Submitted: Auto-Generated; owner-email="x@y.example"',
    ],
    [
      'Auto-Submitted with a comment',
      message([['Auto-Submitted', 'auto-generated (warning-timeout)']]),
      person.mailFrom,
      'auto-submitted',
      'Auto-Submitted: auto-generated (warning-timeout)',
    ],
    ['the null envelope sender', message(), '', 'null-sender', 'MAIL FROM: <>'],
    ['Return-Path: <>', message([['Return-Path', '<>']]), person.mailFrom, 'null-sender', 'Return-Path: <>'],
    [
      'Return-Path: < > with a comment',
      message([['Return-Path', '< > (bounce)']]),
      person.mailFrom,
      'null-sender',
      'Return-Path: < > (bounce)',
    ],
    [
      'From MAILER-DAEMON',
      message([], { from: { address: 'mailer-daemon@mx.example', name: 'Mail Delivery System' } }),
      'bounces@mx.example',
      'daemon-sender',
      'From: mailer-daemon@mx.example',
    ],
    [
      'From postmaster',
      message([], { from: { address: 'postmaster@mx.example', name: '' } }),
      'bounces@mx.example',
      'daemon-sender',
      'From: postmaster@mx.example',
    ],
    [
      'the envelope sender Mailer-Daemon',
      message(),
      'Mailer-Daemon@mx.example',
      'daemon-sender',
      'MAIL FROM: <Mailer-Daemon@mx.example>',
    ],
    [
      'Precedence: bulk',
      message([['Precedence', 'bulk']]),
      person.mailFrom,
      'precedence',
      'Precedence: bulk',
    ],
    [
      'Precedence: JUNK',
      message([['Precedence', 'JUNK']]),
      person.mailFrom,
      'precedence',
      'Precedence: JUNK',
    ],
    [
      'Precedence: list',
      message([['Precedence', 'list']]),
      person.mailFrom,
      'precedence',
      'Precedence: list',
    ],
    [
      'List-Id',
      message([['List-Id', 'Heating news <news.acme.example>']]),
      person.mailFrom,
      'list',
      'List-Id: Heating news <news.acme.example>',
    ],
    [
      'List-Post (RFC 2369)',
      message([['List-Post', '<mailto:users@lists.example>']]),
      person.mailFrom,
      'list',
      'List-Post: <mailto:users@lists.example>',
    ],
    [
      'List-Subscribe (RFC 2369)',
      message([['List-Subscribe', '<mailto:users-join@lists.example>']]),
      person.mailFrom,
      'list',
      'List-Subscribe: <mailto:users-join@lists.example>',
    ],
    [
      'ezmlm’s Mailing-List',
      message([['Mailing-List', 'contact users-help@lists.example; run by ezmlm']]),
      person.mailFrom,
      'list',
      'Mailing-List: contact users-help@lists.example; run by ezmlm',
    ],
    [
      'X-Autoreply: yes',
      message([['X-Autoreply', 'yes']]),
      person.mailFrom,
      'autoreply-header',
      'X-Autoreply: yes',
    ],
    [
      'X-Autorespond with any value',
      message([['X-Autorespond', 'Out of office']]),
      person.mailFrom,
      'autoreply-header',
      'X-Autorespond: Out of office',
    ],
    [
      'an Amazon SNS notification',
      message([['x-amz-sns-message-id', 'ad6bdf42-f483-5bae-bf50-8fc1aad3f981']]),
      person.mailFrom,
      'autoreply-header',
      'X-Amz-Sns-Message-Id: ad6bdf42-f483-5bae-bf50-8fc1aad3f981',
    ],
    [
      'multipart/report',
      message([['Content-Type', 'multipart/report; report-type=disposition-notification; boundary="b"']], {
        contentType: 'multipart/report',
      }),
      person.mailFrom,
      'delivery-report',
      'Content-Type: multipart/report; report-type=disposition-notification; boundary="b"',
    ],
    [
      'a bare delivery-status part',
      message([], { contentType: 'message/delivery-status' }),
      person.mailFrom,
      'delivery-report',
      'Content-Type: message/delivery-status',
    ],
  ])('%s', (_description, mail, mailFrom, kind, detail) => {
    expect(automaticMail(mail, { mailFrom }, ourAddresses)).toEqual({ kind, detail });
  });
});

describe('automaticMail: what a person’s mail carries', () => {
  it.each<[string, ParsedMessage, string]>([
    ['nothing automatic', message(), person.mailFrom],
    ['Auto-Submitted: no', message([['Auto-Submitted', 'no']]), person.mailFrom],
    [
      'Auto-Submitted: No with a parameter and a comment',
      message([['Auto-Submitted', 'No (person); x=y']]),
      person.mailFrom,
    ],
    ['X-Auto-Response-Suppress: All alone', message([['X-Auto-Response-Suppress', 'All']]), person.mailFrom],
    ['Precedence: first-class', message([['Precedence', 'first-class']]), person.mailFrom],
    ['Precedence: bulky (a word, not the keyword)', message([['Precedence', 'bulky']]), person.mailFrom],
    [
      'List-Unsubscribe alone, as transactional and CRM mail carries it',
      message([['List-Unsubscribe', '<https://crm.example/u/1>, <mailto:u@crm.example>']]),
      person.mailFrom,
    ],
    ['an empty List-Id', message([['List-Id', '']]), person.mailFrom],
    ['X-Autoreply: no', message([['X-Autoreply', 'no']]), person.mailFrom],
    ['an X-Loop naming another mailbox', message([['X-Loop', 'owner@bugs.example']]), person.mailFrom],
    ['an X-Loop naming no address', message([['X-Loop', 'scomp']]), person.mailFrom],
    ['Return-Path of a person', message([['Return-Path', '<anna@customer.example>']]), person.mailFrom],
    [
      'senders whose names only look like daemons',
      message([], { from: { address: 'postmaster-team@customer.example', name: '' } }),
      'mailer-daemons@customer.example',
    ],
    ['a mail without a From', message([], { from: undefined }), person.mailFrom],
    ['multipart/mixed', message([], { contentType: 'multipart/mixed' }), person.mailFrom],
  ])('%s', (_description, mail, mailFrom) => {
    expect(automaticMail(mail, { mailFrom }, ourAddresses)).toBeUndefined();
  });
});

describe('automaticMail: order and signals', () => {
  it('recognises our own acknowledgement before its Auto-Submitted', () => {
    const headers = automaticMailHeaders(`Field Service <${MAILBOX}>`, 'auto-replied');
    const ours = message(Object.entries(headers));

    expect(automaticMail(ours, person, ourAddresses)).toEqual({
      kind: 'own-loop',
      detail: `X-Loop: ${MAILBOX}`,
    });
    expect(automaticMail(ours, person, () => false)).toEqual({
      kind: 'auto-submitted',
      detail: 'Auto-Submitted: auto-replied',
    });
  });

  it('lists every rule that holds, in order', () => {
    const bounce = message(
      [
        ['Auto-Submitted', 'auto-replied'],
        ['Precedence', 'bulk'],
      ],
      { from: { address: 'postmaster@mx.example', name: '' }, contentType: 'multipart/report' },
    );

    expect(automaticSignals(bounce, { mailFrom: '' }, ourAddresses).map((signal) => signal.kind)).toEqual([
      'auto-submitted',
      'null-sender',
      'daemon-sender',
      'precedence',
      'delivery-report',
    ]);
    expect(automaticSignals(message(), person, ourAddresses)).toEqual([]);
  });
});

/**
 * The rule that decides each corpus mail that must not be answered (the first
 * that holds). A file that must be refused but that no rule catches fails the
 * test below; so does a person's mail that one catches.
 */
const DECIDING_RULE: Record<string, AutomaticKind> = {
  'bounceparser-autoreply.eml': 'null-sender',
  'bounceparser-boxbe-cr.eml': 'delivery-report',
  'flanker-apache-message-news-mime.eml': 'precedence',
  'flanker-complaint-aol.eml': 'precedence',
  'flanker-office365.eml': 'auto-submitted',
  'mailgem-report_422.eml': 'auto-submitted',
  'notmuch-debian-bts-msg-2-2.eml': 'list',
  'notmuch-default-05.eml': 'precedence',
  'notmuch-lkml-001731.eml': 'precedence',
  'sisimai-lhost-amazonses-09.eml': 'autoreply-header',
  'sisimai-lhost-exim-01.eml': 'auto-submitted',
  'sisimai-lhost-fml-02.eml': 'list',
  'sisimai-lhost-gmail-01.eml': 'null-sender',
  'sisimai-lhost-mailru-01.eml': 'auto-submitted',
  'sisimai-lhost-mfilter-03.eml': 'null-sender',
  'sisimai-lhost-office365-01.eml': 'auto-submitted',
  'sisimai-lhost-postfix-01.eml': 'auto-submitted',
  'sisimai-lhost-qmail-01.eml': 'null-sender',
  'sisimai-rb-issue-368-bug.eml': 'auto-submitted',
  'sisimai-rfc3464-07.eml': 'list',
  'sisimai-rfc3834-01.eml': 'auto-submitted',
  'sisimai-rfc3834-02.eml': 'null-sender',
  'sisimai-rfc3834-04.eml': 'null-sender',
  'sisimai-rfc3834-05.eml': 'auto-submitted',
  'sisimai-rfc3834-06.eml': 'auto-submitted',
};

async function parsedCorpusMail(file: string): Promise<ParsedMessage> {
  const result = await parseMail(corpusMail(file));
  if ('error' in result) throw new Error(`${file} did not parse: ${result.error}`);
  return result;
}

/** The envelope sender as /work/shared/tools/mailcheck.py sends it: `<>` after `Return-Path: <>`, else From. */
function envelopeOf(mail: ParsedMessage): { mailFrom: string } {
  const returnPath = mail.headers.find((header) => header.name === 'return-path')?.value ?? '';
  if (returnPath.replace(/\s/g, '') === '<>') return { mailFrom: '' };
  const from = mail.from?.address ?? '';
  return { mailFrom: from.includes('@') ? from : 'someone@example.net' };
}

describe('automaticMail over the shared corpus', () => {
  it('finds the corpus, and names the deciding rule of exactly its mails that must not be answered', () => {
    const refused = mailCorpus()
      .filter((entry) => entry.expect === 'no-auto-reply')
      .map((entry) => entry.file);

    expect(refused.sort()).toEqual(Object.keys(DECIDING_RULE).sort());
  });

  it.each(mailCorpusOrNone().filter((entry) => entry.expect !== 'any'))(
    '$file ($class, $expect)',
    async ({ file, expect: expected }) => {
      const mail = await parsedCorpusMail(file);

      const signal = automaticMail(mail, envelopeOf(mail), ourAddresses);

      if (expected === 'work-order') expect(signal).toBeUndefined();
      else expect(signal?.kind).toBe(DECIDING_RULE[file]);
    },
  );

  it('reads X-Loop fields of a real mail: the Debian copy is our own when its loop address is ours', async () => {
    const mail = await parsedCorpusMail('notmuch-debian-bts-msg-2-2.eml');

    expect(
      automaticMail(mail, envelopeOf(mail), (address) => address === 'dispatch@tracker.debian.org'),
    ).toEqual({
      kind: 'own-loop',
      detail: 'X-Loop: dispatch@tracker.debian.org',
    });
  });
});
