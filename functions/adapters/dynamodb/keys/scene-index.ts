import { type ItemKey, tenant } from './key-types';

/** The organisation's chart, the scenes' filing state, and the re-filings that organisation changes start. */
export const sceneIndexKeys = {
  /** One snapshot of the tenant's superiors, department parents and heads, with its revision. */
  orgChart: (tenantId: string): ItemKey => ({ pk: tenant(tenantId), sk: 'ORG_CHART' }),
  /** The chart's revision as every filing checks it, and the re-filings that hold everyone's scenes. */
  sceneState: (tenantId: string): ItemKey => ({ pk: tenant(tenantId), sk: 'SCENE_STATE' }),
  /** The tenant's sharing rules as every viewer's scenes read them. */
  sceneSharing: (tenantId: string): ItemKey => ({ pk: tenant(tenantId), sk: 'SCENE_SHARING' }),
  /** One viewer's scene profile (department, groups) and the re-filings that hold their filed scenes. */
  viewerScenes: (tenantId: string, userId: string): ItemKey => ({
    pk: `${tenant(tenantId)}#VIEWER#${userId}`,
    sk: 'SCENES',
  }),
  sceneReindexJob: (tenantId: string, id: string): ItemKey => ({
    pk: `${tenant(tenantId)}#SCENE_REINDEX`,
    sk: `JOB#${id}`,
  }),
  sceneReindexJobs: (tenantId: string) => ({ pk: `${tenant(tenantId)}#SCENE_REINDEX`, skPrefix: 'JOB#' }),
} as const;
