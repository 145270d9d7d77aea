import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shared corpus of real third-party mails (`manifest.json` plus `.eml`
 * files). It lives next to the repository, never inside it: its files keep
 * their own licences and are test input only.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const MAIL_CORPUS_DIR = process.env.MAIL_CORPUS_DIR
  ? path.resolve(process.env.MAIL_CORPUS_DIR)
  : path.resolve(repoRoot, '../shared/mail-corpus');

export interface CorpusEntry {
  file: string;
  class: 'human' | 'reply' | 'auto-reply' | 'bounce' | 'bulk' | 'malformed';
  /** `work-order`: a person's mail; `no-auto-reply`: must not be answered nor open a work order; `any`: free. */
  expect: 'work-order' | 'no-auto-reply' | 'any';
  why: string;
}

function missing(what: string): Error {
  return new Error(
    `Mail corpus not found: ${what} does not exist. The mail tests read the shared corpus from ` +
      `${MAIL_CORPUS_DIR} (../shared/mail-corpus next to the repository, or MAIL_CORPUS_DIR); ` +
      'put it there, these tests do not skip.',
  );
}

/** The manifest; throws when the corpus is missing. */
export function mailCorpus(): CorpusEntry[] {
  const manifest = path.join(MAIL_CORPUS_DIR, 'manifest.json');
  if (!existsSync(manifest)) throw missing(manifest);
  return JSON.parse(readFileSync(manifest, 'utf8')) as CorpusEntry[];
}

/** The manifest, or none when the corpus is missing: for building per-file tests next to a test of `mailCorpus()`. */
export function mailCorpusOrNone(): CorpusEntry[] {
  try {
    return mailCorpus();
  } catch {
    return [];
  }
}

/** The raw bytes of one corpus mail; throws when it is missing. */
export function corpusMail(file: string): Uint8Array {
  const location = path.join(MAIL_CORPUS_DIR, file);
  if (!existsSync(location)) throw missing(location);
  return readFileSync(location);
}

/** The envelope sender a mail system would use: `<>` for a null Return-Path, else the From address. */
export function envelopeSender(raw: Uint8Array): string {
  const text = Buffer.from(raw).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const header = (name: string) =>
    head
      .split(/\r?\n/)
      .find((line) => line.toLowerCase().startsWith(`${name}:`))
      ?.slice(name.length + 1)
      .trim();
  if (header('return-path')?.replace(/\s/g, '') === '<>') return '';
  return /[^\s<>"]+@[^\s<>"]+/.exec(header('from') ?? '')?.[0] ?? 'someone@example.net';
}
