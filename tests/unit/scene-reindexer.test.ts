import { describe, expect, it } from 'vitest';
import { emptyOrgChart } from '../../functions/domain/organisation/org-chart';
import { VersionConflictError } from '../../functions/domain/shared/errors';
import type { WriteEffects } from '../../functions/domain/shared/ports';
import type { SceneReindexJob } from '../../functions/domain/work-orders/scene-reindex';
import {
  type SceneFiling,
  type SceneIndexStore,
  SceneReindexer,
} from '../../functions/domain/work-orders/scene-reindexer';

const NOW = Date.parse('2026-12-02T10:00:00.000Z');
const clock = { now: () => new Date(NOW) };
let id = 0;
const ids = { next: () => `id${++id}` };

function job(extra: Partial<SceneReindexJob> = {}): SceneReindexJob {
  return {
    id: 'job',
    tenantId: 't',
    version: 1,
    createdAt: new Date(NOW).toISOString(),
    updatedAt: new Date(NOW).toISOString(),
    cause: [],
    holds: ['m'],
    targets: [
      { kind: 'owner', userId: 'a' },
      { kind: 'member', userId: 'a' },
    ],
    status: 'running',
    progress: { target: 0, ordersSeen: 0, ordersRefiled: 0, entriesWritten: 0, entriesDeleted: 0 },
    ...extra,
  };
}

/** A store keeping one job, refusing saves of a stale version as DynamoDB would. */
function memoryStore(initial: SceneReindexJob) {
  let stored = initial;
  const saved: { job: SceneReindexJob; effects?: WriteEffects }[] = [];
  const put = (previous: SceneReindexJob, next: SceneReindexJob) => {
    if (previous.version !== stored.version)
      throw new VersionConflictError('SceneReindexJob', previous.id, 1);
    stored = next;
  };
  const store: SceneIndexStore = {
    chart: async () => emptyOrgChart(),
    job: async () => stored,
    jobs: async () => ({ items: [stored] }),
    save: async (previous, next, effects) => {
      put(previous, next);
      saved.push({ job: next, ...(effects ? { effects } : {}) });
    },
    finish: async (previous, next) => put(previous, next),
  };
  return {
    store,
    saved,
    current: () => stored,
    moveOn: () => (stored = { ...stored, version: stored.version + 5 }),
  };
}

/** Two lists of three work orders each, in pages of the size asked. */
function filing(
  refile: SceneFiling['refile'] = async (_t, ids) => ({ refiled: ids.length, written: 1, deleted: 0 }),
): SceneFiling {
  const lists: Record<string, string[]> = { owner: ['w1', 'w2', 'w3'], member: ['w4', 'w5', 'w6'] };
  return {
    filedUnder: async (_t, view, cursor, limit) => {
      const all = lists[view.kind] ?? [];
      const from = cursor ? Number(cursor) : 0;
      const next = from + limit;
      return { ids: all.slice(from, next), ...(next < all.length ? { nextCursor: String(next) } : {}) };
    },
    refile,
  };
}

describe('a re-filing step', () => {
  it('walks every list, counts what it did, and ends the job', async () => {
    const memory = memoryStore(job());
    const outcome = await new SceneReindexer({
      store: memory.store,
      filing: filing(),
      clock,
      ids,
      pageSize: 2,
    }).step('t', 'job');
    expect(outcome).toBe('done');
    expect(memory.current()).toMatchObject({
      status: 'done',
      progress: { target: 2, ordersSeen: 6, ordersRefiled: 6, entriesWritten: 4 },
    });
    expect(memory.current().progress.cursor).toBeUndefined();
  });

  it('hands over to the next step with an event saved with its progress when its budget is spent', async () => {
    const memory = memoryStore(job());
    const reindexer = new SceneReindexer({
      store: memory.store,
      filing: filing(),
      clock,
      ids,
      pageSize: 2,
      ordersPerStep: 3,
    });
    expect(await reindexer.step('t', 'job')).toBe('continued');
    const last = memory.saved.at(-1);
    expect(last?.effects?.events?.map((e) => [e.type, e.detail])).toEqual([
      ['SceneReindexContinued', { jobId: 'job' }],
    ]);
    expect(last?.job.progress).toMatchObject({ target: 1, ordersSeen: 3 });
    expect(await reindexer.step('t', 'job')).toBe('done');
    expect(memory.current().progress.ordersSeen).toBe(6);
  });

  it('stops quietly when another step moved the job on, and fails when a work order cannot be re-filed', async () => {
    const moved = memoryStore(job());
    const racing = filing(async (_t, ids) => {
      moved.moveOn();
      return { refiled: ids.length, written: 0, deleted: 0 };
    });
    expect(
      await new SceneReindexer({ store: moved.store, filing: racing, clock, ids }).step('t', 'job'),
    ).toBe('superseded');

    const failing = memoryStore(job());
    const conflict = filing(async () => {
      throw new VersionConflictError('WorkOrder', 'w1', 3);
    });
    await expect(
      new SceneReindexer({ store: failing.store, filing: conflict, clock, ids }).step('t', 'job'),
    ).rejects.toThrow(VersionConflictError);
    expect(failing.current().status).toBe('running');
  });

  it('waits out what is left of the grace, and does nothing for a job that is done or unknown', async () => {
    const waited: number[] = [];
    const memory = memoryStore(job({ createdAt: new Date(NOW - 20_000).toISOString() }));
    const reindexer = new SceneReindexer({
      store: memory.store,
      filing: filing(),
      clock,
      ids,
      graceMs: 60_000,
      wait: async (ms) => {
        waited.push(ms);
      },
    });
    expect(await reindexer.step('t', 'job')).toBe('done');
    expect(waited).toEqual([40_000]);
    expect(await reindexer.step('t', 'job')).toBe('done');
    expect(waited).toHaveLength(1);
    const none = memoryStore(job());
    none.store.job = async () => undefined;
    expect(await new SceneReindexer({ store: none.store, filing: filing(), clock, ids }).step('t', 'x')).toBe(
      'unknown',
    );
  });
});
