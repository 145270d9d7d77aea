import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { RawMailStore } from '../../functions/domain/inbound-mail/intake-ports';
import type { AttachmentStore } from '../../functions/domain/work-orders/attachments';

/**
 * The mail bucket on this machine: a folder with the same keys, raw mails
 * under `inbound/local/`, attachments under `attachments/`. Downloads go
 * through the local API server (`GET /local/mail-bucket/<key>`).
 */
export class LocalMailFolder implements RawMailStore, AttachmentStore {
  static readonly RAW_PREFIX = 'inbound/local/';

  constructor(
    readonly dir: string,
    /** The API's base URL, for download links. */
    private readonly baseUrl: () => string = () => 'http://127.0.0.1:3000',
  ) {}

  /** Keeps a raw mail as SES's S3 action does. */
  async store(receiptId: string, raw: Uint8Array): Promise<void> {
    await this.write(`${LocalMailFolder.RAW_PREFIX}${receiptId}`, raw);
  }

  read(receiptId: string): Promise<Uint8Array> {
    return readFile(this.path(`${LocalMailFolder.RAW_PREFIX}${receiptId}`));
  }

  async put(key: string, content: Uint8Array): Promise<void> {
    await this.write(key, content);
  }

  async downloadUrl(key: string, filename: string): Promise<string> {
    return `${this.baseUrl()}/local/mail-bucket/${key}?filename=${encodeURIComponent(filename)}`;
  }

  /** The bytes under a key; undefined for a key outside the folder. */
  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.path(key));
    } catch {
      return undefined;
    }
  }

  private path(key: string): string {
    const path = resolve(this.dir, key);
    if (!path.startsWith(resolve(this.dir) + sep)) throw new Error(`Not a key of the mail folder: ${key}`);
    return path;
  }

  private async write(key: string, content: Uint8Array): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    const partial = join(dirname(path), `.${randomUUID()}.partial`);
    await writeFile(partial, content);
    await rename(partial, path);
  }
}
