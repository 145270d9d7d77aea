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

/** A page request with the defaults filled in and the size bounded: one rule for every list. */
export function pageRequest(page: Partial<PageRequest>): PageRequest {
  return {
    limit: Math.min(page.limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
    ...(page.cursor !== undefined ? { cursor: page.cursor } : {}),
  };
}
