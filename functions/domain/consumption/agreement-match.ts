import type { Agreement } from '../agreements/agreement';
import { coversDay } from '../agreements/agreement-terms';
import type { AgreementMatching } from '../organisation/tenant';

const order: Record<AgreementMatching, (a: Agreement, b: Agreement) => number> = {
  'ends-first': (a, b) => a.endDate.localeCompare(b.endDate) || a.id.localeCompare(b.id),
  'newest-first': (a, b) => b.startDate.localeCompare(a.startDate) || b.id.localeCompare(a.id),
};

/**
 * The agreement that covers a work order's device or account on a day: an
 * agreement of the device before one of the account, then the tenant's rule.
 * `candidates` are the account's agreements (its devices' included).
 */
export function matchAgreement(
  candidates: readonly Agreement[],
  target: { accountId?: string | undefined; deviceId?: string | undefined },
  day: string,
  matching: AgreementMatching = 'ends-first',
): Agreement | undefined {
  const covering = candidates.filter((agreement) => coversDay(agreement, day));
  const ofDevice = target.deviceId
    ? covering.filter((a) => a.subject.kind === 'device' && a.subject.deviceId === target.deviceId)
    : [];
  const ofAccount = covering.filter(
    (a) => a.subject.kind === 'account' && a.subject.accountId === target.accountId,
  );
  const pool = ofDevice.length > 0 ? ofDevice : ofAccount;
  return [...pool].sort(order[matching])[0];
}
