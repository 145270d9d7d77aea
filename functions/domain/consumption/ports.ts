import type { SalesOrder } from '../agreements/sales-order';
import type { Page, PageRequest } from '../shared/entity';
import type { DomainEvent } from '../shared/events';
import type { Claim } from '../shared/ports';
import type { ServiceRecord } from '../work-orders/service-record';
import type { ConsumptionConfirmation } from './confirmation';
import type { Redemption } from './coverage';
import type { ServiceProduct } from './service-product';
import type { SparePartUse } from './spare-part';

/** A change to a work order's consumption, with the timeline entry it leaves. */
export interface ConsumptionWrite {
  record: ServiceRecord;
  claims?: readonly Claim[];
  events?: DomainEvent[];
}

/**
 * A work order's service products and spare parts. While a confirmation is
 * open (started and neither confirmed nor released) it holds the work
 * order's consumption lock: every write here is then refused (ConsumptionLockedError).
 */
export interface ServiceProductRepository {
  serviceProducts(tenantId: string, workOrderId: string): Promise<ServiceProduct[]>;
  serviceProduct(tenantId: string, workOrderId: string, id: string): Promise<ServiceProduct | undefined>;
  /** Adds service products in one transaction (at most the work order's limit), under the write's claims. */
  addServiceProducts(products: readonly ServiceProduct[], write: ConsumptionWrite): Promise<void>;
  updateServiceProduct(
    previous: ServiceProduct,
    next: ServiceProduct,
    write: ConsumptionWrite,
  ): Promise<void>;
  deleteServiceProduct(product: ServiceProduct, write: ConsumptionWrite): Promise<void>;

  spareParts(tenantId: string, workOrderId: string): Promise<SparePartUse[]>;
  recordSparePart(use: SparePartUse, write: ConsumptionWrite): Promise<void>;

  /** The open confirmation of a work order, if one holds its lock. */
  openConfirmation(tenantId: string, workOrderId: string): Promise<string | undefined>;
}

/** Consumption confirmations, and the writes of their steps to the ledgers and the work order. */
export interface ConfirmationRepository {
  /**
   * Stores a new confirmation and takes the work order's lock, in one
   * transaction that also turns the spare parts into service products and
   * checks that the service products it prices are unchanged.
   */
  startConfirmation(
    confirmation: ConsumptionConfirmation,
    basis: {
      products: readonly ServiceProduct[];
      conversions: readonly { use: SparePartUse; product: ServiceProduct }[];
    },
    write: ConsumptionWrite,
  ): Promise<void>;
  confirmation(tenantId: string, id: string): Promise<StoredConfirmation | undefined>;
  confirmationsOf(
    tenantId: string,
    workOrderId: string,
    page: PageRequest,
  ): Promise<Page<ConsumptionConfirmation>>;
  /**
   * A step's change to the confirmation, conditional on the version read;
   * `taskToken` parks the token the flow waits on (never shown by the API).
   */
  saveStep(
    previous: ConsumptionConfirmation,
    next: ConsumptionConfirmation,
    write: ConsumptionWrite & { taskToken?: string },
  ): Promise<void>;
  /**
   * The redemptions and the priced confirmation in one transaction: each
   * counted line only if it still has `remaining ≥ quantity`
   * (RedemptionRefusedError naming the line otherwise), each ledger entry once.
   */
  redeem(
    previous: ConsumptionConfirmation,
    next: ConsumptionConfirmation,
    redemptions: readonly Redemption[],
    write: ConsumptionWrite,
  ): Promise<void>;
  /** Undoes the redemptions (each release entry once), closes the confirmation and frees the lock. */
  release(
    previous: ConsumptionConfirmation,
    next: ConsumptionConfirmation,
    redemptions: readonly Redemption[],
    write: ConsumptionWrite,
  ): Promise<void>;
  /**
   * Closes an approved confirmation: its billing order (if any), its service
   * products marked confirmed, the lock freed, the events, in one transaction.
   */
  confirm(
    previous: ConsumptionConfirmation,
    next: ConsumptionConfirmation,
    order: SalesOrder | undefined,
    write: ConsumptionWrite,
  ): Promise<void>;
}

/** A confirmation as stored: with the token of the step waiting for a person, while one waits. */
export type StoredConfirmation = ConsumptionConfirmation & { taskToken?: string };
