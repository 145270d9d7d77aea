import { authorize } from '../access/permissions';
import type { Principal } from '../access/principal';
import { type Page, type PageRequest, pageRequest } from '../shared/entity';
import { NotFoundError } from '../shared/errors';
import type { SceneReindexJob } from './scene-reindex';
import type { SceneIndexStore } from './scene-reindexer';

/** What admins see of the re-filings: each job with its cause, holds and progress. */
export class SceneReindexJobs {
  constructor(private readonly store: SceneIndexStore) {}

  async list(principal: Principal, page: Partial<PageRequest>): Promise<Page<SceneReindexJob>> {
    authorize(principal, 'scene-index:read');
    return this.store.jobs(principal.tenantId, pageRequest(page));
  }

  async get(principal: Principal, id: string): Promise<SceneReindexJob> {
    authorize(principal, 'scene-index:read');
    const job = await this.store.job(principal.tenantId, id);
    if (!job) throw new NotFoundError('SceneReindexJob', id);
    return job;
  }
}
