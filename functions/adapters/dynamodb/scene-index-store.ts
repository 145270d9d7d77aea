import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { OrgChart } from '../../domain/organisation/org-chart';
import type { Page, PageRequest } from '../../domain/shared/entity';
import { VersionConflictError } from '../../domain/shared/errors';
import type { WriteEffects } from '../../domain/shared/ports';
import type { SceneReindexJob } from '../../domain/work-orders/scene-reindex';
import type { SceneIndexStore } from '../../domain/work-orders/scene-reindexer';
import type { Clock } from '../../shared/clock';
import type { TableContext } from './client';
import { addEffects } from './effects';
import { keys } from './keys';
import { toEntity } from './master-data-store';
import { readOrgChart } from './org-chart-change';
import { queryPage } from './query';
import { Transaction } from './transaction';

/** The chart, the re-filings and their holds in DynamoDB. */
export class DynamoSceneIndexStore implements SceneIndexStore {
  constructor(
    private readonly table: TableContext,
    private readonly clock: Clock,
  ) {}

  chart(tenantId: string): Promise<OrgChart> {
    return readOrgChart(this.table, tenantId);
  }

  async job(tenantId: string, id: string): Promise<SceneReindexJob | undefined> {
    const { Item } = await this.table.client.send(
      new GetCommand({
        TableName: this.table.tableName,
        Key: keys.sceneReindexJob(tenantId, id),
        ConsistentRead: true,
      }),
    );
    return Item ? toEntity<SceneReindexJob>(Item) : undefined;
  }

  async jobs(tenantId: string, page: PageRequest): Promise<Page<SceneReindexJob>> {
    const { items, nextCursor } = await queryPage(this.table, keys.sceneReindexJobs(tenantId), page, {
      newestFirst: true,
    });
    return {
      items: items.map((item) => toEntity<SceneReindexJob>(item)),
      ...(nextCursor ? { nextCursor } : {}),
    };
  }

  async save(previous: SceneReindexJob, next: SceneReindexJob, effects?: WriteEffects): Promise<void> {
    const tx = this.putJob(previous, next);
    addEffects(tx, next.tenantId, effects, this.clock);
    await tx.commit();
  }

  async finish(previous: SceneReindexJob, next: SceneReindexJob): Promise<void> {
    const tx = this.putJob(previous, next);
    const release = (key: { pk: string; sk: string }) =>
      tx.update(
        key,
        'DELETE #holds :job',
        undefined,
        () => new Error('unreachable'),
        { ':job': new Set([next.id]) },
        { '#holds': 'holds' },
      );
    if (next.holds === 'everyone') release(keys.sceneState(next.tenantId));
    else for (const userId of next.holds) release(keys.viewerScenes(next.tenantId, userId));
    await tx.commit();
  }

  private putJob(previous: SceneReindexJob, next: SceneReindexJob): Transaction {
    return new Transaction(this.table.client, this.table.tableName).put(
      { ...next, ...keys.sceneReindexJob(next.tenantId, next.id), entityType: 'SceneReindexJob' },
      'version = :expected',
      () => new VersionConflictError('SceneReindexJob', previous.id, previous.version),
      { ':expected': previous.version },
    );
  }
}
