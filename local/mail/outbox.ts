import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeMime } from '../../functions/adapters/ses/mime';
import type { OutboundMail, OutgoingMail } from '../../functions/domain/shared/mail';
import { STATE_DIR } from '../paths';

export const LOCAL_OUTBOX_DIR = join(STATE_DIR, 'outbox');

/**
 * SES outbound for the local runtime: every mail becomes one `.eml` file,
 * byte for byte what SES would have been given; open it in any mail client.
 */
export class LocalOutbox implements OutboundMail {
  private sequence = 0;

  constructor(
    readonly dir: string = LOCAL_OUTBOX_DIR,
    private readonly now: () => Date = () => new Date(),
  ) {
    mkdirSync(dir, { recursive: true });
  }

  async send(message: OutgoingMail): Promise<{ messageId: string }> {
    const date = this.now();
    const { raw, messageId } = composeMime(message, { date });
    const stamp = date.toISOString().replace(/[:.]/g, '-');
    const name = `${stamp}-${process.pid}-${String(this.sequence++).padStart(4, '0')}.eml`;
    // Written under another name first, so whoever watches the folder never reads half a mail.
    const partial = join(this.dir, `.${name}.partial`);
    writeFileSync(partial, raw);
    renameSync(partial, join(this.dir, name));
    return { messageId };
  }

  /** The `.eml` files in the folder, oldest first. */
  files(): string[] {
    return readdirSync(this.dir)
      .filter((file) => file.endsWith('.eml'))
      .sort()
      .map((file) => join(this.dir, file));
  }
}
