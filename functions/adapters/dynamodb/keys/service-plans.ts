import { type IndexKeys, type ItemKey, tenant } from './key-types';

const planPartition = (tenantId: string, planId: string) => `${tenant(tenantId)}#SERVICE_PLAN#${planId}`;
const OCCURRENCE = 'OCCURRENCE#';

/**
 * A service plan is an item collection of its own: the plan, its progress
 * (`PROGRESS`, moved by every run without touching the plan's version) and
 * one record per generated occurrence (`OCCURRENCE#<local date>`), whose key
 * is the occurrence's claim.
 */
export const servicePlanKeys = {
  servicePlan: (tenantId: string, planId: string): ItemKey => ({
    pk: planPartition(tenantId, planId),
    sk: 'PLAN',
  }),
  planProgress: (tenantId: string, planId: string): ItemKey => ({
    pk: planPartition(tenantId, planId),
    sk: 'PROGRESS',
  }),
  planOccurrence: (tenantId: string, planId: string, date: string): ItemKey => ({
    pk: planPartition(tenantId, planId),
    sk: `${OCCURRENCE}${date}`,
  }),
  /** Generated occurrences with local dates from `from` to `to`, inclusive, in date order. */
  planOccurrences: (tenantId: string, planId: string, from: string, to: string) => ({
    pk: planPartition(tenantId, planId),
    skPrefix: OCCURRENCE,
    skBetween: [`${OCCURRENCE}${from}`, `${OCCURRENCE}${to}`] as const,
  }),
  /** The tenant's plans (gsi1) and an agreement's (gsi2), oldest first. */
  servicePlanIndexes: (tenantId: string, plan: { id: string; agreementId: string }): IndexKeys => ({
    gsi1pk: `${tenant(tenantId)}#SERVICE_PLANS`,
    gsi1sk: plan.id,
    gsi2pk: `${tenant(tenantId)}#PLANS_OF_AGREEMENT#${plan.agreementId}`,
    gsi2sk: plan.id,
  }),
  servicePlans: (tenantId: string) => ({ index: 'gsi1' as const, pk: `${tenant(tenantId)}#SERVICE_PLANS` }),
  plansOfAgreement: (tenantId: string, agreementId: string) => ({
    index: 'gsi2' as const,
    pk: `${tenant(tenantId)}#PLANS_OF_AGREEMENT#${agreementId}`,
  }),
} as const;
