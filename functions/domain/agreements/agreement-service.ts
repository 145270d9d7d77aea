import type { Actor } from '../access/actor';
import { actorIdOf } from '../access/actor';
import { authorize } from '../access/permissions';
import type { Product } from '../catalog/product';
import type { Account } from '../customers/account';
import type { Device } from '../customers/device';
import { mapConcurrently } from '../shared/concurrency';
import { type Page, type PageRequest, pageRequest } from '../shared/entity';
import { ConflictError, type FieldError, NotFoundError, ValidationError } from '../shared/errors';
import type { ServiceContext } from '../shared/master-data-service';
import { assertVersion } from '../shared/master-data-service';
import type { Claim, Repository } from '../shared/ports';
import {
  type Agreement,
  type AgreementLine,
  type AgreementView,
  type CreateAgreementInput,
  dateOf,
  isCounted,
  recordTypeOf,
} from './agreement';
import { type AgreementEventType, agreementEvent } from './events';
import type { AgreementDraft } from './generate-agreements';
import { ledgerOf } from './ledger';
import type { AgreementExpiryDue, AgreementExpiryScheduler, AgreementRepository } from './ports';

export interface AgreementRepositories {
  agreements: AgreementRepository;
  accounts: Pick<Repository<Account>, 'get'>;
  devices: Pick<Repository<Device>, 'get'>;
  products: Pick<Repository<Product>, 'get'>;
}

/** What became of an expiry that came due. */
export type ExpiryOutcome = 'expired' | 'not-active' | 'not-ended' | 'unknown';

/**
 * Service agreements: created directly or generated from sales orders,
 * activated by a person, and non-warranty once their last day has passed
 * (a one-time schedule per agreement fires `expire`).
 */
export class AgreementService {
  constructor(
    private readonly repos: AgreementRepositories,
    private readonly expiry: AgreementExpiryScheduler,
    private readonly context: ServiceContext,
  ) {}

  async create(
    actor: Actor,
    input: CreateAgreementInput,
    claims: readonly Claim[] = [],
  ): Promise<AgreementView> {
    authorize(actor, 'agreement:write');
    const lines = await this.linesOf(actor.tenantId, input);
    return this.add(
      actor,
      {
        name: input.name,
        subject: {
          kind: input.subject,
          accountId: input.accountId,
          ...(input.deviceId ? { deviceId: input.deviceId } : {}),
        },
        startDate: input.startDate,
        endDate: input.endDate,
        coverage: input.coverage,
        status: 'draft',
        lines,
      },
      claims,
    );
  }

  /** Stores a checked draft with its ledgers, under the given claims. */
  async add(actor: Actor, draft: AgreementDraft, claims: readonly Claim[] = []): Promise<AgreementView> {
    const now = this.now();
    const agreement: Agreement = {
      ...draft,
      id: this.context.ids.next(),
      tenantId: actor.tenantId,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await this.repos.agreements.create(agreement, {
      claims,
      events: [this.event('AgreementCreated', agreement, actor)],
    });
    const fresh = { quantity: 0, redeemed: 0, released: 0 };
    return {
      ...agreement,
      lines: agreement.lines.map((line) =>
        isCounted(line) ? { ...line, ledger: ledgerOf({ ...fresh, quantity: line.quantity }) } : line,
      ),
    };
  }

  async get(actor: Actor, id: string): Promise<AgreementView> {
    authorize(actor, 'agreement:read');
    const agreement = await this.repos.agreements.get(actor.tenantId, id);
    if (!agreement) throw new NotFoundError('ServiceAgreement', id);
    return agreement;
  }

  async list(actor: Actor, page: Partial<PageRequest>, accountId?: string): Promise<Page<Agreement>> {
    authorize(actor, 'agreement:read');
    const request = pageRequest(page);
    return accountId
      ? this.repos.agreements.listForAccount(actor.tenantId, accountId, request)
      : this.repos.agreements.list(actor.tenantId, request);
  }

  /** A counted line's count and every redemption and release of it. */
  async ledger(actor: Actor, id: string, lineId: string) {
    const agreement = await this.get(actor, id);
    const line = agreement.lines.find((l) => l.id === lineId);
    if (!line?.ledger) throw new NotFoundError('AgreementLineLedger', `${id}/${lineId}`);
    const entries = await this.repos.agreements.entries(actor.tenantId, id, lineId);
    return { agreementId: id, lineId, ...line.ledger, entries };
  }

  /**
   * draft → active. An agreement whose last day has passed cannot start. The
   * expiry is scheduled before the agreement changes: a schedule left by a
   * try that failed afterwards finds a draft and does nothing, while an active
   * agreement never lacks its schedule.
   */
  async activate(actor: Actor, id: string, expectedVersion: number): Promise<AgreementView> {
    authorize(actor, 'agreement:activate');
    const agreement = await this.get(actor, id);
    assertVersion('ServiceAgreement', agreement, expectedVersion);
    if (agreement.status !== 'draft')
      throw new ConflictError(`Agreement ${id} is ${agreement.status}, not draft`, {
        agreementStatus: agreement.status,
      });
    if (agreement.endDate < dateOf(this.context.clock.now()))
      throw new ConflictError(`Agreement ${id} ended on ${agreement.endDate}`, {
        endDate: agreement.endDate,
      });
    await this.expiry.schedule(agreement);
    const next = await this.transition(agreement, 'active', 'AgreementActivated', actor);
    return { ...agreement, ...next, lines: agreement.lines };
  }

  /**
   * An expiry that came due: an active agreement past its last day becomes
   * non-warranty. Idempotent: a repeated or early schedule changes nothing.
   */
  async expire(due: AgreementExpiryDue): Promise<ExpiryOutcome> {
    const agreement = await this.repos.agreements.get(due.tenantId, due.agreementId);
    if (!agreement) return 'unknown';
    if (agreement.status !== 'active') return 'not-active';
    if (dateOf(this.context.clock.now()) <= agreement.endDate) return 'not-ended';
    const actor: Actor = { tenantId: due.tenantId, system: 'workflow', id: 'agreement-expiry' };
    await this.transition(agreement, 'non-warranty', 'AgreementExpired', actor);
    return 'expired';
  }

  /**
   * active → terminated: the agreement covers nothing from now on, and its
   * service plans end (`AgreementTerminated`). What was redeemed stays redeemed.
   */
  async terminate(actor: Actor, id: string, expectedVersion: number, reason: string): Promise<AgreementView> {
    authorize(actor, 'agreement:terminate');
    const agreement = await this.get(actor, id);
    assertVersion('ServiceAgreement', agreement, expectedVersion);
    if (agreement.status !== 'active')
      throw new ConflictError(`Agreement ${id} is ${agreement.status}, not active`, {
        agreementStatus: agreement.status,
      });
    const now = this.now();
    const previous = stored(agreement);
    const next: Agreement = {
      ...previous,
      status: 'terminated',
      terminated: { at: now, by: actorIdOf(actor), reason },
      version: previous.version + 1,
      updatedAt: now,
    };
    await this.repos.agreements.update(previous, next, {
      events: [this.event('AgreementTerminated', next, actor)],
    });
    return { ...agreement, ...next, lines: agreement.lines };
  }

  /** Moves the agreement to a status, stamped with when, by a write conditional on the version read. */
  private async transition(
    agreement: AgreementView,
    status: 'active' | 'non-warranty',
    type: 'AgreementActivated' | 'AgreementExpired',
    actor: Actor,
  ): Promise<Agreement> {
    const now = this.now();
    const previous = stored(agreement);
    const next: Agreement = {
      ...previous,
      status,
      ...(status === 'active' ? { activatedAt: now } : { expiredAt: now }),
      version: previous.version + 1,
      updatedAt: now,
    };
    await this.repos.agreements.update(previous, next, { events: [this.event(type, next, actor)] });
    return next;
  }

  /** The lines of a directly created agreement, or a 400 naming every reference that is wrong. */
  private async linesOf(tenantId: string, input: CreateAgreementInput): Promise<AgreementLine[]> {
    const errors: FieldError[] = [];
    const lines = input.lines ?? [];
    const productIds = [...new Set(lines.map((line) => line.productId))];
    const [account, device, products] = await Promise.all([
      this.repos.accounts.get(tenantId, input.accountId),
      input.deviceId ? this.repos.devices.get(tenantId, input.deviceId) : undefined,
      mapConcurrently(productIds, 10, (id) => this.repos.products.get(tenantId, id)),
    ]);
    if (!account) errors.push({ field: 'accountId', message: `No account ${input.accountId}` });
    if (input.subject === 'device' && !input.deviceId)
      errors.push({ field: 'deviceId', message: 'An agreement for a device names it' });
    if (input.deviceId && !device) errors.push({ field: 'deviceId', message: `No device ${input.deviceId}` });
    if (device && device.accountId !== input.accountId)
      errors.push({ field: 'deviceId', message: `Device ${device.id} is not the account's` });
    if (input.endDate < input.startDate)
      errors.push({ field: 'endDate', message: 'Must not be before startDate' });
    if (input.coverage === 'partial' && lines.length === 0)
      errors.push({ field: 'lines', message: 'Partial coverage covers only its lines: give at least one' });
    const found = new Map(products.filter((p): p is Product => p !== undefined).map((p) => [p.id, p]));
    const result = lines.map((line, index): AgreementLine => {
      const product = found.get(line.productId);
      const recordType = product ? recordTypeOf(product) : 'non-recurring-service';
      if (!product)
        errors.push({ field: `lines.${index}.productId`, message: `No product ${line.productId}` });
      const periodic = recordType === 'recurring-service';
      if (product && periodic !== (line.period !== undefined && line.periods !== undefined))
        errors.push({
          field: `lines.${index}.period`,
          message: periodic
            ? 'A recurring service needs a period and periods'
            : 'Only a recurring service has a period',
        });
      return {
        id: String(index + 1),
        productId: line.productId,
        recordType,
        quantity: line.quantity,
        ...(periodic ? { period: line.period, periods: line.periods } : {}),
        autoCreate: line.autoCreate ?? true,
      };
    });
    if (errors.length > 0) throw new ValidationError('The agreement cannot be created', errors);
    return result;
  }

  private event(type: AgreementEventType, agreement: Agreement, actor: Actor) {
    return agreementEvent(type, agreement, {
      id: this.context.ids.next(),
      occurredAt: this.now(),
      actorId: actorIdOf(actor),
    });
  }

  private now(): string {
    return this.context.clock.now().toISOString();
  }
}

/** The agreement as stored: its lines without their ledgers. */
function stored(view: AgreementView): Agreement {
  return { ...view, lines: view.lines.map(({ ledger: _ledger, ...line }) => line) };
}
