import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  emptyOrgChart,
  type OrgChart,
  type OrgChartChange,
  type OrgFact,
} from '../../domain/organisation/org-chart';
import { ConflictError } from '../../domain/shared/errors';
import type { TableContext } from './client';
import { keys } from './keys';
import type { Transaction } from './transaction';

/** Each fact of the chart is one attribute of its item: `s:<user>`, `p:<department>`, `h:<department>`. */
const FACT_PREFIX = { superior: 's:', parent: 'p:', head: 'h:' } as const;

/** The tenant's chart, strongly consistent: what every filing of a work order is computed from. */
export async function readOrgChart(table: TableContext, tenantId: string): Promise<OrgChart> {
  const { Item } = await table.client.send(
    new GetCommand({ TableName: table.tableName, Key: keys.orgChart(tenantId), ConsistentRead: true }),
  );
  return chartOf(Item);
}

function chartOf(item: Record<string, unknown> | undefined): OrgChart {
  if (!item) return emptyOrgChart();
  const superiors = new Map<string, string>();
  const parents = new Map<string, string>();
  const heads = new Map<string, string>();
  const maps: Record<string, Map<string, string>> = {
    [FACT_PREFIX.superior]: superiors,
    [FACT_PREFIX.parent]: parents,
    [FACT_PREFIX.head]: heads,
  };
  for (const [name, value] of Object.entries(item)) {
    const map = maps[name.slice(0, 2)];
    if (map && typeof value === 'string') map.set(name.slice(2), value);
  }
  return {
    revision: Number(item.revision ?? 0),
    scope: item.scope === 'own-department' ? 'own-department' : 'with-sub-departments',
    superiors,
    parents,
    heads,
  };
}

const factAttribute = (fact: Exclude<OrgFact, { kind: 'scope' }>) =>
  `${FACT_PREFIX[fact.kind]}${fact.kind === 'superior' ? fact.userId : fact.departmentId}`;

/**
 * Writes an organisation change's chart facts and the re-filing it starts
 * into the change's transaction: the chart moves to the next revision only
 * from the one the change was planned on; the job is created with the holds
 * on the viewers (or everyone) whose filed scenes it makes stale.
 */
export function addOrgChange(tx: Transaction, tenantId: string, change: OrgChartChange): void {
  const next = change.expectedRevision + 1;
  const set: Record<string, unknown> = { revision: next, entityType: 'OrgChart' };
  const remove: string[] = [];
  for (const fact of change.facts) {
    if (fact.kind === 'scope') set.scope = fact.value;
    else if (fact.value === undefined) remove.push(factAttribute(fact));
    else set[factAttribute(fact)] = fact.value;
  }
  tx.patch(
    keys.orgChart(tenantId),
    { set, remove },
    {
      expression:
        change.expectedRevision === 0 ? 'attribute_not_exists(#rev) OR #rev = :expected' : '#rev = :expected',
      names: { '#rev': 'revision' },
      values: { ':expected': change.expectedRevision },
      onFailed: () => new ConflictError('The organisation changed meanwhile; try again'),
    },
  );
  const job = change.reindex;
  const jobSet = job ? new Set([job.id]) : undefined;
  tx.patch(keys.sceneState(tenantId), {
    set: { revision: next, entityType: 'SceneState', ...(change.founding ? { founded: true } : {}) },
    ...(job?.holds === 'everyone' ? { add: { holds: jobSet } } : {}),
  });
  if (job) {
    tx.put(
      { ...job, ...keys.sceneReindexJob(tenantId, job.id), entityType: 'SceneReindexJob' },
      'attribute_not_exists(pk)',
      () => new ConflictError(`Re-index ${job.id} already exists`),
    );
  }
  // The superiors and heads the change names have lists filed under their reach from now on.
  const reached = new Set(
    change.facts.flatMap((fact) =>
      (fact.kind === 'superior' || fact.kind === 'head') && fact.value ? [fact.value] : [],
    ),
  );
  const held = new Set(job && job.holds !== 'everyone' ? job.holds : []);
  for (const userId of new Set([...held, ...reached])) {
    tx.patch(keys.viewerScenes(tenantId, userId), {
      set: { entityType: 'ViewerScenes', ...(reached.has(userId) ? { reached: true } : {}) },
      ...(held.has(userId) ? { add: { holds: jobSet } } : {}),
    });
  }
}
