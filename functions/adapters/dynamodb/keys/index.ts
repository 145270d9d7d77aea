import { agreementKeys } from './agreements';
import { consumptionKeys } from './consumption';
import { customerKeys } from './customers';
import { inboundMailKeys } from './inbound-mail';
import { masterDataKeys } from './master-data';
import { organisationKeys } from './organisation';
import { platformKeys } from './platform';
import { sceneIndexKeys } from './scene-index';
import { servicePlanKeys } from './service-plans';
import { workOrderKeys } from './work-orders';

export type { IndexKeys, ItemKey } from './key-types';
export type { MasterDataType } from './master-data';

/**
 * The one key builder, one module per aggregate behind this one export. No
 * other module writes a pk, sk or index key. Every partition key starts with
 * the tenant, so no query can cross tenants.
 */
export const keys = {
  ...masterDataKeys,
  ...organisationKeys,
  ...customerKeys,
  ...workOrderKeys,
  ...inboundMailKeys,
  ...platformKeys,
  ...sceneIndexKeys,
  ...agreementKeys,
  ...consumptionKeys,
  ...servicePlanKeys,
} as const;

/** Attributes that are storage detail and never leave the adapter. */
export const KEY_ATTRIBUTES = [
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'entityType',
  // How a work order is filed in the scenes (scene-filing.ts).
  'sceneViews',
  'sceneRevision',
  // The token a consumption confirmation's flow waits on: only the approve and reject API reads it.
  'taskToken',
] as const;
