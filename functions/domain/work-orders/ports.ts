import type { Page, PageRequest } from '../shared/entity';
import type { WriteEffects } from '../shared/ports';
import type { View } from './scenes';
import type { ServiceRecord } from './service-record';
import type { WorkOrder } from './work-order';

/** The fields every scene entry carries, so a scene page needs no second read. */
export type WorkOrderSummary = Pick<
  WorkOrder,
  | 'id'
  | 'tenantId'
  | 'number'
  | 'title'
  | 'typeId'
  | 'priority'
  | 'status'
  | 'lifecycle'
  | 'locked'
  | 'channel'
  | 'ownerId'
  | 'accountId'
  | 'contactId'
  | 'deviceId'
  | 'version'
  | 'createdAt'
  | 'updatedAt'
>;

export interface SceneQuery {
  views: View[];
  /** What a cursor of this list is bound to (the scene and viewer): any other list refuses it. */
  binding: string;
  sort: 'created' | 'updated';
  order: 'asc' | 'desc';
  limit: number;
  cursor?: string;
}

export interface WorkOrderRepository {
  /** Allocates the next number of the tenant and year in the same transaction as the work order. */
  create(
    draft: Omit<WorkOrder, 'number'>,
    records: ServiceRecord[],
    effects?: (workOrder: WorkOrder) => WriteEffects,
  ): Promise<WorkOrder>;
  get(tenantId: string, id: string): Promise<WorkOrder | undefined>;
  /** Many at once (batches); the ones that do not exist are absent from the map. */
  getMany(tenantId: string, ids: string[]): Promise<Map<string, WorkOrder>>;
  findByNumber(tenantId: string, number: string): Promise<WorkOrder | undefined>;
  /** Fails with VersionConflictError when the stored version is no longer `previous.version`. */
  update(
    previous: WorkOrder,
    next: WorkOrder,
    records: ServiceRecord[],
    effects?: WriteEffects,
  ): Promise<void>;
  /** Appends to the timeline without changing the work order (comments). */
  appendRecords(workOrder: WorkOrder, records: ServiceRecord[], effects?: WriteEffects): Promise<void>;
  delete(workOrder: WorkOrder, effects?: WriteEffects): Promise<void>;
  records(tenantId: string, workOrderId: string, page: PageRequest): Promise<Page<ServiceRecord>>;
}

/** Scene pages, apart from the work orders' storage: only the functions that list them carry it. */
export interface WorkOrderScenes {
  /** A scene page: the views merged newest (or oldest) first, each work order once. */
  scene(tenantId: string, query: SceneQuery): Promise<Page<WorkOrderSummary>>;
}

/** The latest entries of a timeline (the repository's own `records` reads oldest first). */
export interface TimelineReader {
  recent(tenantId: string, workOrderId: string, limit: number): Promise<ServiceRecord[]>;
}
