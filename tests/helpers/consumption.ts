import { vi } from 'vitest';
import type { Principal } from '../../functions/domain/access/principal';
import { createAgreementExpiryHandler } from '../../functions/handlers/schedules/agreement-expiry';
import { createLogger } from '../../functions/shared/logger';
import { localConsumptionWorkflow } from '../../local/consumption';
import {
  LocalAgreementExpiryScheduler,
  LocalScheduler,
  MovableClock,
} from '../../local/scheduler/local-scheduler';
import type { LocalStateMachine } from '../../local/workflows/local-state-machine';
import { startTestApi, type TestApi } from './api';

export const quiet = createLogger({}, () => undefined);

export interface ConsumptionStack {
  api: TestApi;
  clock: MovableClock;
  scheduler: LocalScheduler;
  machine: LocalStateMachine;
  close(): Promise<void>;
}

/**
 * The API with the consumption-billing state machine on the local
 * interpreter, one movable clock for the domain, the approval timeout and
 * the agreement expiry schedules.
 */
export async function startConsumptionStack(): Promise<ConsumptionStack> {
  const clock = new MovableClock();
  const scheduler = new LocalScheduler({ clock });
  let api: TestApi | undefined;
  const workflow = localConsumptionWorkflow({
    app: () => (api as TestApi).app,
    clock,
    logger: quiet,
    retryIntervalMs: 5,
  });
  api = await startTestApi({
    clock,
    workflow: workflow.workflow,
    approvals: workflow.approvals,
    agreementExpiry: new LocalAgreementExpiryScheduler(scheduler),
  });
  scheduler.target('agreement-expiry', createAgreementExpiryHandler(api.app.agreements.agreements, quiet));
  const started = api;
  return {
    api: started,
    clock,
    scheduler,
    machine: workflow.machine,
    close: async () => {
      await workflow.machine.stop();
      await scheduler.stop();
      await started.close();
    },
  };
}

/** Polls until the confirmation reaches one of the statuses (the flow runs on its own). */
export async function confirmationReaches(
  api: TestApi,
  token: string,
  id: string,
  statuses: readonly string[],
  timeout = 20_000,
): Promise<Record<string, unknown> & { status: string }> {
  let last: Record<string, unknown> & { status: string } = { status: 'unread' };
  await vi.waitFor(
    async () => {
      const response = await api.request<typeof last>('GET', `/consumption-confirmations/${id}`, { token });
      last = response.body;
      if (!statuses.includes(last.status)) throw new Error(`Confirmation ${id} is ${last.status}`);
    },
    { timeout, interval: 50 },
  );
  return last;
}

export const userPrincipal = (tenantId: string, userId: string, ...roles: Principal['roles']): Principal => ({
  tenantId,
  userId,
  roles,
});
