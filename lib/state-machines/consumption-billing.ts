import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../constructs/service-function';

/**
 * The consumption-then-billing state machine: one ASL file (JSONPath), deployed
 * with `definitionSubstitutions` and run locally by the interpreter after the
 * same substitutions with local names.
 */
export const CONSUMPTION_BILLING_ASL = join(REPO_ROOT, 'lib/state-machines/consumption-billing.asl.json');

/** The `${…}` placeholders of the ASL and what each stands for. */
export const CONSUMPTION_BILLING_SUBSTITUTIONS = {
  /** The function that runs every step (functions/handlers/workflows/consumption-steps.ts). */
  ConsumptionStepsFunctionArn: 'the steps function',
} as const;

export type ConsumptionBillingSubstitution = keyof typeof CONSUMPTION_BILLING_SUBSTITUTIONS;

/** The definition as text, its placeholders filled in (every one must be given). */
export function renderConsumptionBilling(
  values: Record<ConsumptionBillingSubstitution, string>,
  text: string = readFileSync(CONSUMPTION_BILLING_ASL, 'utf8'),
): string {
  return text.replace(/\$\{([A-Za-z]+)\}/g, (placeholder, name: string) => {
    const value = (values as Record<string, string | undefined>)[name];
    if (value === undefined) throw new Error(`No value for ${placeholder} in the consumption-billing ASL`);
    return value;
  });
}
