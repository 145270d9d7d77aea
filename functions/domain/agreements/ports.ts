import type { Page, PageRequest } from '../shared/entity';
import type { WriteEffects } from '../shared/ports';
import type { Agreement, AgreementView } from './agreement';
import type { LedgerEntry } from './ledger';

/** Agreements, each with the ledger of every counted line. */
export interface AgreementRepository {
  /** The agreement with its ledgers, in one read. */
  get(tenantId: string, id: string): Promise<AgreementView | undefined>;
  /** The tenant's agreements, oldest first. */
  list(tenantId: string, page: PageRequest): Promise<Page<Agreement>>;
  /** An account's agreements (its own and its devices'), oldest first. */
  listForAccount(tenantId: string, accountId: string, page: PageRequest): Promise<Page<Agreement>>;
  /** Every agreement of an account and its devices. */
  allForAccount(tenantId: string, accountId: string): Promise<Agreement[]>;
  /** Creates the agreement and a ledger for each counted line in one transaction. */
  create(agreement: Agreement, effects?: WriteEffects): Promise<void>;
  /** Changes the agreement itself (status, dates); its ledgers move only by redemptions. */
  update(previous: Agreement, next: Agreement, effects?: WriteEffects): Promise<void>;
  /** The entries of one line's ledger, oldest first. */
  entries(tenantId: string, agreementId: string, lineId: string): Promise<LedgerEntry[]>;
}

/** What a once-only claim was taken for: the id it refers to, or undefined when it was never taken. */
export interface ClaimLookup {
  claimed(tenantId: string, scope: string, key: string): Promise<string | undefined>;
}

/** When an active agreement's end has passed: a one-time schedule per agreement. */
export interface AgreementExpiryScheduler {
  /** Idempotent: scheduling the same agreement again replaces nothing. */
  schedule(agreement: Pick<Agreement, 'tenantId' | 'id' | 'endDate'>): Promise<void>;
}

/** What the expiry schedule hands the function: which agreement to look at. */
export interface AgreementExpiryDue {
  tenantId: string;
  agreementId: string;
}
