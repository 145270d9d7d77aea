import type { SceneAccess, SceneAccessChange, SharingGrant } from '../../domain/organisation/scene-access';
import type { TableContext } from './client';
import { keys } from './keys';
import { batchGet } from './query';
import type { Transaction } from './transaction';

/** Each sharing rule is one attribute of the tenant's sharing item: `r:<rule id>`. */
const RULE_PREFIX = 'r:';
const unreachable = () => new Error('unreachable');

/** Writes what viewers' scenes read of a change into the change's transaction. */
export function addSceneAccess(
  tx: Transaction,
  tenantId: string,
  changes: readonly SceneAccessChange[],
): void {
  for (const change of changes) {
    switch (change.kind) {
      case 'tenant':
        tx.update(
          keys.sceneSharing(tenantId),
          'SET kept = :kept, entityType = :type',
          undefined,
          unreachable,
          {
            ':kept': true,
            ':type': 'SceneSharing',
          },
        );
        break;
      case 'rule':
        tx.update(
          keys.sceneSharing(tenantId),
          'SET #rule = :rule, entityType = :type',
          undefined,
          unreachable,
          { ':rule': change.rule, ':type': 'SceneSharing' },
          { '#rule': `${RULE_PREFIX}${change.rule.id}` },
        );
        break;
      case 'rule-removed':
        tx.update(
          keys.sceneSharing(tenantId),
          'REMOVE #rule',
          undefined,
          unreachable,
          {},
          {
            '#rule': `${RULE_PREFIX}${change.ruleId}`,
          },
        );
        break;
      case 'viewer':
        tx.update(
          keys.viewerScenes(tenantId, change.userId),
          [
            `SET entityType = :type${change.created ? ', profiled = :profiled' : ''}${change.department ? ', department = :department' : ''}`,
            change.department ? '' : 'REMOVE department',
          ]
            .filter(Boolean)
            .join(' '),
          undefined,
          unreachable,
          {
            ':type': 'ViewerScenes',
            ...(change.created ? { ':profiled': true } : {}),
            ...(change.department ? { ':department': change.department } : {}),
          },
        );
        break;
      case 'group':
        tx.update(
          keys.viewerScenes(tenantId, change.userId),
          `${change.member ? 'ADD' : 'DELETE'} #groups :group SET entityType = :type`,
          undefined,
          unreachable,
          { ':group': new Set([change.groupId]), ':type': 'ViewerScenes' },
          { '#groups': 'groups' },
        );
        break;
    }
  }
}

/**
 * Marks users as having something filed under their reach, in the write that files it: the people put
 * on a work order. (Superiors and heads are marked by the organisation change that makes them so.)
 */
export function markReached(tx: Transaction, tenantId: string, userIds: Iterable<string>): void {
  for (const userId of new Set(userIds)) {
    tx.update(
      keys.viewerScenes(tenantId, userId),
      'SET reached = :reached, entityType = :type',
      undefined,
      unreachable,
      {
        ':reached': true,
        ':type': 'ViewerScenes',
      },
    );
  }
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
