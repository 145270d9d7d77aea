import type { SceneAccess, SceneAccessChange, SharingGrant } from '../../domain/organisation/scene-access';
import type { TableContext } from './client';
import { keys } from './keys';
import { batchGet } from './query';
import type { Transaction } from './transaction';

/** Each sharing rule is one attribute of the tenant's sharing item: `r:<rule id>`. */
const RULE_PREFIX = 'r:';

/** Writes what viewers' scenes read of a change into the change's transaction. */
export function addSceneAccess(
  tx: Transaction,
  tenantId: string,
  changes: readonly SceneAccessChange[],
): void {
  const sharing = keys.sceneSharing(tenantId);
  for (const change of changes) {
    switch (change.kind) {
      case 'tenant':
        tx.patch(sharing, { set: { kept: true, entityType: 'SceneSharing' } });
        break;
      case 'rule':
        tx.patch(sharing, {
          set: { [`${RULE_PREFIX}${change.rule.id}`]: change.rule, entityType: 'SceneSharing' },
        });
        break;
      case 'rule-removed':
        tx.patch(sharing, { remove: [`${RULE_PREFIX}${change.ruleId}`] });
        break;
      case 'viewer':
        tx.patch(keys.viewerScenes(tenantId, change.userId), {
          set: {
            entityType: 'ViewerScenes',
            ...(change.created ? { profiled: true } : {}),
            ...(change.department ? { department: change.department } : {}),
          },
          ...(change.department ? {} : { remove: ['department'] }),
        });
        break;
      case 'group': {
        const group = { groups: new Set([change.groupId]) };
        tx.patch(keys.viewerScenes(tenantId, change.userId), {
          set: { entityType: 'ViewerScenes' },
          ...(change.member ? { add: group } : { delete: group }),
        });
        break;
      }
    }
  }
}

/**
 * Marks users as having something filed under their reach, in the write that files it: the people put
 * on a work order. (Superiors and heads are marked by the organisation change that makes them so.)
 */
export function markReached(tx: Transaction, tenantId: string, userIds: Iterable<string>): void {
  for (const userId of new Set(userIds))
    tx.patch(keys.viewerScenes(tenantId, userId), { set: { reached: true, entityType: 'ViewerScenes' } });
}

const isHolding = (item: Record<string, unknown> | undefined) =>
  item?.holds instanceof Set && item.holds.size > 0;

/**
 * A viewer's scene access in one read: their profile and holds, the
 * tenant's holds and revision, and the tenant's sharing rules.
 */
export async function readSceneAccess(
  table: TableContext,
  tenantId: string,
  userId: string,
): Promise<SceneAccess> {
  const viewerKey = keys.viewerScenes(tenantId, userId);
  const stateKey = keys.sceneState(tenantId);
  const sharingKey = keys.sceneSharing(tenantId);
  const items = await batchGet(table, [viewerKey, stateKey, sharingKey]);
  const find = (key: { pk: string; sk: string }) =>
    items.find((item) => item.pk === key.pk && item.sk === key.sk);
  const viewer = find(viewerKey);
  const state = find(stateKey);
  const sharing = find(sharingKey);
  // A tenant older than the filing has an incomplete chart: its filed scenes are never trusted.
  const held = state?.founded !== true || isHolding(state) || isHolding(viewer);
  const reached = viewer?.profiled ? { reached: viewer.reached === true } : {};
  if (!viewer?.profiled || !sharing?.kept) return { held, ...reached };
  return {
    held,
    ...reached,
    profile: {
      ...(typeof viewer.department === 'string' ? { department: viewer.department } : {}),
      groups: viewer.groups instanceof Set ? [...viewer.groups].map(String) : [],
    },
    rules: Object.entries(sharing)
      .filter(([name]) => name.startsWith(RULE_PREFIX))
      .map(([, rule]) => rule as SharingGrant),
  };
}
