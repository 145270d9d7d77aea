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
  const names: Record<string, string> = { '#revision': 'revision' };
  const values: Record<string, unknown> = {
    ':expected': change.expectedRevision,
    ':next': change.expectedRevision + 1,
    ':type': 'OrgChart',
  };
  const sets = ['#revision = :next', 'entityType = :type'];
  const removes: string[] = [];
  change.facts.forEach((fact, i) => {
    if (fact.kind === 'scope') {
      values[':scope'] = fact.value;
      names['#scope'] = 'scope';
      sets.push('#scope = :scope');
      return;
    }
    names[`#f${i}`] = factAttribute(fact);
    if (fact.value === undefined) removes.push(`#f${i}`);
    else {
      values[`:f${i}`] = fact.value;
      sets.push(`#f${i} = :f${i}`);
    }
  });
  tx.update(
    keys.orgChart(tenantId),
    `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
    change.expectedRevision === 0
      ? 'attribute_not_exists(#revision) OR #revision = :expected'
      : '#revision = :expected',
    () => new ConflictError('The organisation changed meanwhile; try again'),
    values,
    names,
  );
  const job = change.reindex;
  const holdsEveryone = job?.holds === 'everyone';
  tx.update(
    keys.sceneState(tenantId),
    [
      `SET #revision = :next, entityType = :type${change.founding ? ', founded = :founded' : ''}`,
      holdsEveryone ? 'ADD #holds :job' : '',
    ]
      .filter(Boolean)
      .join(' '),
    undefined,
    () => new Error('unreachable'),
    {
      ':next': change.expectedRevision + 1,
      ':type': 'SceneState',
      ...(change.founding ? { ':founded': true } : {}),
      ...(job && holdsEveryone ? { ':job': new Set([job.id]) } : {}),
    },
    { '#revision': 'revision', ...(holdsEveryone ? { '#holds': 'holds' } : {}) },
  );
  // The superiors and heads the change names have lists filed under their reach from now on.
  const reached = new Set(
    change.facts.flatMap((fact) =>
      (fact.kind === 'superior' || fact.kind === 'head') && fact.value ? [fact.value] : [],
    ),
  );
  const held = job && job.holds !== 'everyone' ? new Set(job.holds) : new Set<string>();
  if (job) {
    tx.put(
      { ...job, ...keys.sceneReindexJob(tenantId, job.id), entityType: 'SceneReindexJob' },
      'attribute_not_exists(pk)',
      () => new ConflictError(`Re-index ${job.id} already exists`),
    );
  }
  for (const userId of new Set([...held, ...reached])) {
    const hold = held.has(userId);
    const reach = reached.has(userId);
    tx.update(
      keys.viewerScenes(tenantId, userId),
      [`SET entityType = :type${reach ? ', reached = :reached' : ''}`, hold ? 'ADD #holds :job' : '']
        .filter(Boolean)
        .join(' '),
      undefined,
      () => new Error('unreachable'),
      {
        ':type': 'ViewerScenes',
        ...(reach ? { ':reached': true } : {}),
        ...(hold && job ? { ':job': new Set([job.id]) } : {}),
      },
      hold ? { '#holds': 'holds' } : undefined,
    );
  }
}
