import type { Principal } from '../access/principal';
import type { Entity } from '../shared/entity';
import { NotFoundError } from '../shared/errors';

/** A file on a work order (one a customer's mail brought), kept in the mail bucket and listed on the work order. */
export interface WorkOrderAttachment extends Entity {
  workOrderId: string;
  filename: string;
  mimeType: string;
  size: number;
  /** Shown inside the mail (a signature's logo) rather than attached by the sender. */
  inline: boolean;
  contentId?: string;
  /** Where the bytes are in the mail bucket. */
  storageKey: string;
  /** The inbound mail it came with. */
  inboundMailId: string;
}

/** How long a download link works. */
export const DOWNLOAD_SECONDS = 300;

/** Stores the bytes of attachments: the mail bucket in AWS, a folder locally. */
export interface AttachmentStore {
  put(key: string, content: Uint8Array, mimeType: string): Promise<void>;
  /** A link that downloads the file for `DOWNLOAD_SECONDS`. */
  downloadUrl(key: string, filename: string): Promise<string>;
}

export interface AttachmentList {
  ofWorkOrder(tenantId: string, workOrderId: string): Promise<WorkOrderAttachment[]>;
  get(tenantId: string, workOrderId: string, id: string): Promise<WorkOrderAttachment | undefined>;
}

/** The files of a work order, for whoever may read the work order. */
export class WorkOrderAttachments {
  constructor(
    /** Reads the work order as the principal may (404 otherwise). */
    private readonly readable: (principal: Principal, id: string) => Promise<unknown>,
    private readonly list: AttachmentList,
    private readonly store: AttachmentStore,
  ) {}

  async of(principal: Principal, workOrderId: string): Promise<WorkOrderAttachment[]> {
    await this.readable(principal, workOrderId);
    return this.list.ofWorkOrder(principal.tenantId, workOrderId);
  }

  /** A short-lived download link of one file. */
  async download(
    principal: Principal,
    workOrderId: string,
    id: string,
  ): Promise<{ attachment: WorkOrderAttachment; url: string; expiresInSeconds: number }> {
    await this.readable(principal, workOrderId);
    const attachment = await this.list.get(principal.tenantId, workOrderId, id);
    if (!attachment) throw new NotFoundError('Attachment', id);
    const url = await this.store.downloadUrl(attachment.storageKey, attachment.filename);
    return { attachment, url, expiresInSeconds: DOWNLOAD_SECONDS };
  }
}
