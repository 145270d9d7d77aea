import { IMPORT_FILE } from '../../../domain/shared/ports';
import { type ItemKey, tenant } from './key-types';

/** What every context writes with its changes: the outbox, claims and Idempotency-Key records. */
export const platformKeys = {
  /** Transactional outbox: written with the change, published from the table stream. */
  outboxEvent: (tenantId: string, eventId: string): ItemKey => ({
    pk: `${tenant(tenantId)}#OUTBOX`,
    sk: eventId,
  }),

  /** Once-only claims (an SES messageId, a mail's Message-ID, a plan occurrence), per tenant and scope. */
  claim: (tenantId: string, scope: string, key: string): ItemKey => ({
    pk: `${tenant(tenantId)}#CLAIM#${scope}`,
    sk: key,
  }),

  /**
   * Idempotency-Key records, scoped to the caller; an import claims one per
   * row of the file (`#` cannot occur in the header's key, so rows never clash with it).
   */
  idempotency: (tenantId: string, userId: string, key: string, row?: number): ItemKey => ({
    pk: `${tenant(tenantId)}#IDEMPOTENCY`,
    sk:
      row === undefined
        ? `${userId}#${key}`
        : `${userId}#${key}#${row === IMPORT_FILE ? 'import-file' : `import-row-${row}`}`,
  }),
} as const;
