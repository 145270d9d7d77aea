import { type IndexKeys, type ItemKey, tenant } from './key-types';

const agreementPartition = (tenantId: string, agreementId: string) =>
  `${tenant(tenantId)}#AGREEMENT#${agreementId}`;

/**
 * A service agreement is an item collection of its own: the agreement, the
 * count of each counted line (`AGREEMENT#LINE#…`, read with it by one Query
 * on the `AGREEMENT` prefix), and every redemption and release of a line
 * (`LEDGER#…`), so redemptions of one agreement never crowd the tenant's partition.
 */
export const agreementKeys = {
  agreement: (tenantId: string, agreementId: string): ItemKey => ({
    pk: agreementPartition(tenantId, agreementId),
    sk: 'AGREEMENT',
  }),
  /** The agreement and its line counts, without the ledger entries. */
  agreementWithLines: (tenantId: string, agreementId: string) => ({
    pk: agreementPartition(tenantId, agreementId),
    skPrefix: 'AGREEMENT',
  }),
  agreementLine: (tenantId: string, agreementId: string, lineId: string): ItemKey => ({
    pk: agreementPartition(tenantId, agreementId),
    sk: `AGREEMENT#LINE#${lineId}`,
  }),
  /**
   * One redemption or release of a line by a confirmation for one service
   * product: the key itself makes each happen at most once.
   */
  ledgerEntry: (
    tenantId: string,
    entry: {
      agreementId: string;
      lineId: string;
      confirmationId: string;
      serviceProductId: string;
      kind: string;
    },
  ): ItemKey => ({
    pk: agreementPartition(tenantId, entry.agreementId),
    sk: `LEDGER#${entry.lineId}#${entry.confirmationId}#${entry.serviceProductId}#${entry.kind}`,
  }),
  ledgerEntries: (tenantId: string, agreementId: string, lineId: string) => ({
    pk: agreementPartition(tenantId, agreementId),
    skPrefix: `LEDGER#${lineId}#`,
  }),

  /** The tenant's agreements (gsi1), an account's (gsi2) and a device's (gsi3), oldest first. */
  agreementIndexes: (
    tenantId: string,
    agreement: { id: string; subject: { accountId: string; deviceId?: string } },
  ): IndexKeys => ({
    gsi1pk: `${tenant(tenantId)}#AGREEMENTS`,
    gsi1sk: agreement.id,
    gsi2pk: `${tenant(tenantId)}#AGREEMENTS_OF_ACCOUNT#${agreement.subject.accountId}`,
    gsi2sk: agreement.id,
    ...(agreement.subject.deviceId
      ? {
          gsi3pk: `${tenant(tenantId)}#AGREEMENTS_OF_DEVICE#${agreement.subject.deviceId}`,
          gsi3sk: agreement.id,
        }
      : {}),
  }),
  agreements: (tenantId: string) => ({ index: 'gsi1' as const, pk: `${tenant(tenantId)}#AGREEMENTS` }),
  agreementsOfAccount: (tenantId: string, accountId: string) => ({
    index: 'gsi2' as const,
    pk: `${tenant(tenantId)}#AGREEMENTS_OF_ACCOUNT#${accountId}`,
  }),
  agreementsOfDevice: (tenantId: string, deviceId: string) => ({
    index: 'gsi3' as const,
    pk: `${tenant(tenantId)}#AGREEMENTS_OF_DEVICE#${deviceId}`,
  }),
} as const;
