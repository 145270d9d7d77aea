import type { AttachmentOutcome } from './inbound-mail';
import { clipped, RECORD_LIMITS } from './mail-record';
import type { ParsedAttachment } from './message';

/** Most files one mail adds: their list items commit with the work order, in one transaction. */
export const MAX_ATTACHMENTS_PER_MAIL = 25;
/** Largest file kept; SES takes mails up to 40 MB, but a work order is no file store. */
export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;
/** Types that run code when opened: refused and recorded, never stored. */
const REFUSED_TYPES = new Set([
  'application/x-msdownload',
  'application/x-msdos-program',
  'application/x-dosexec',
  'application/x-sh',
  'application/x-bat',
  'application/hta',
  'application/x-ms-shortcut',
  'application/java-archive',
  'application/vnd.microsoft.portable-executable',
]);
const REFUSED_EXTENSIONS = /\.(exe|com|bat|cmd|scr|pif|msi|vbs|vbe|js|jse|wsf|hta|jar|ps1|lnk|cpl|dll)$/i;

/** Why a file is not kept, or undefined when it is. */
export function refusalOf(attachment: ParsedAttachment, index: number): string | undefined {
  if (index >= MAX_ATTACHMENTS_PER_MAIL) return `more than ${MAX_ATTACHMENTS_PER_MAIL} files in one mail`;
  if (attachment.size > MAX_ATTACHMENT_BYTES)
    return `larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB (${attachment.size} bytes)`;
  if (REFUSED_TYPES.has(attachment.mimeType)) return `type ${attachment.mimeType} is not accepted`;
  if (attachment.filename && REFUSED_EXTENSIONS.test(attachment.filename))
    return `files named *${attachment.filename.slice(attachment.filename.lastIndexOf('.'))} are not accepted`;
  return undefined;
}

/** The name a file is listed under: its own, or one made from its type. */
export function displayName(attachment: ParsedAttachment, index: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced.
  const name = attachment.filename?.replace(/[\u0000-\u001f\u007f/\\]/g, '_').trim();
  if (name) return name.slice(0, 255);
  const subtype = attachment.mimeType.split('/')[1]?.replace(/[^a-z0-9.+-]/gi, '') || 'bin';
  return `attachment-${index + 1}.${subtype}`;
}

/** Refused files named on the timeline one by one; past this many they are counted. */
const MAX_REFUSED_NAMED = 25;

/**
 * What the work order's timeline says of the files of a mail that were not
 * kept, each with why: the decision record is for CRM admins, and whoever
 * handles the work order must not think the customer sent nothing.
 */
export function refusedFilesNote(attachments: readonly ParsedAttachment[]): Record<string, unknown> {
  const refused = attachments.flatMap((attachment, index) => {
    const reason = refusalOf(attachment, index);
    return reason ? [{ filename: displayName(attachment, index), reason }] : [];
  });
  if (refused.length === 0) return {};
  return {
    refusedAttachments: refused.slice(0, MAX_REFUSED_NAMED),
    ...(refused.length > MAX_REFUSED_NAMED
      ? { moreRefusedAttachments: refused.length - MAX_REFUSED_NAMED }
      : {}),
  };
}

/** What the decision record says of each file. */
export function outcomeOf(
  attachment: ParsedAttachment,
  stored: { attachmentId: string } | { refused: string },
): AttachmentOutcome {
  return {
    filename: attachment.filename === null ? null : clipped(attachment.filename, RECORD_LIMITS.filename),
    mimeType: attachment.mimeType,
    size: attachment.size,
    inline: attachment.inline,
    ...('attachmentId' in stored
      ? { stored: true, attachmentId: stored.attachmentId }
      : { stored: false, refused: stored.refused }),
  };
}

/**
 * Where an attachment's bytes go: by tenant and the mail's receipt, so a
 * retried delivery writes the same objects again rather than new ones.
 */
export const attachmentStorageKey = (tenantId: string, receiptId: string, index: number) =>
  `attachments/${tenantId}/${receiptId}/${index + 1}`;
