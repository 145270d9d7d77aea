/** What every stored aggregate carries. */
export interface Entity {
  id: string;
  tenantId: string;
  /** Optimistic-locking counter: 1 on create, +1 on every change. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Opaque; absent on the last page. */
  nextCursor?: string;
}

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;
