import { activeAgreementsOf } from '../adapters/dynamodb/account-agreements';
import { agreementServices } from './agreements';
import { billingServices } from './billing';
import { agreementProducts, consumptionServices, consumptionSteps } from './consumption';
import { mailIntakeServices } from './mail-intake';
import { idempotencyStore, masterDataRepositories, masterDataServices } from './master-data';
import type { Ports } from './ports';
import { planSchedules, servicePlanEnding, servicePlanGenerator, servicePlanServices } from './service-plans';
import { workOrderTransfer } from './work-order-transfer';
import type { WorkOrderApplication } from './work-orders';
import { workOrderActionServices, workOrderMailer, workOrderServices } from './work-orders';

/**
 * The composition root: every bounded context's services, built from one set
 * of ports by the context composers (master-data.ts, work-orders.ts, mail-intake.ts); each
 * context is built on first use, once. The local runtime, the tests and the
 * bench use the whole application; a Lambda handler builds only the contexts
 * it uses, through the same composers (`fromEnvironment`), so its bundle
 * carries no other.
 */
export function compose(ports: Ports) {
  const once = <T>(build: () => T): (() => T) => {
    let built: { value: T } | undefined;
    return () => {
      built ??= { value: build() };
      return built.value;
    };
  };
  const repositories = once(() => masterDataRepositories(ports));
  const masterData = once(() => masterDataServices(ports, repositories()));
  const workOrders = once(() => workOrderServices(ports, repositories()));
  const workOrderActions = once(() => workOrderActionServices(ports, repositories()));
  const transfer = once(() => workOrderTransfer(ports, repositories(), workOrders()));
  const mailer = once(() => workOrderMailer(ports, repositories()));
  const mailIntake = once(() => mailIntakeServices(ports, repositories()));
  const agreements = once(() => agreementServices(ports, repositories()));
  const billing = once(() => billingServices(ports, repositories()));
  const consumption = once(() => ({
    ...consumptionServices(ports, repositories()),
    steps: consumptionSteps(ports, repositories()),
    agreementProducts: agreementProducts(ports, repositories()),
  }));
  const servicePlans = once(() => ({
    ...servicePlanServices(ports, repositories()),
    generator: servicePlanGenerator(ports, repositories()),
    ending: servicePlanEnding(ports),
    get schedules() {
      return planSchedules(ports);
    },
  }));
  const idempotency = once(() => idempotencyStore(ports));
  return {
    ports,
    /** What the account summary shows of the account's agreements. */
    activeAgreements: (tenantId: string, accountId: string) =>
      activeAgreementsOf(ports.table, tenantId, accountId),
    get masterData() {
      return masterData();
    },
    get workOrders() {
      return workOrders();
    },
    get workOrderActions() {
      return workOrderActions();
    },
    get workOrderTransfer() {
      return transfer();
    },
    get workOrderMailer() {
      return mailer();
    },
    get mailIntake() {
      return mailIntake();
    },
    get agreements() {
      return agreements();
    },
    get billing() {
      return billing();
    },
    get consumption() {
      return consumption();
    },
    get servicePlans() {
      return servicePlans();
    },
    get idempotency() {
      return idempotency();
    },
  };
}

export type Application = ReturnType<typeof compose>;

/**
 * Locally every API handler is built from the whole application, so it must
 * offer what each narrower one takes: this fails to compile when it does not.
 */
export const asWorkOrderApplication = (app: Application): WorkOrderApplication => app;
