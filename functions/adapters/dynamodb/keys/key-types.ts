/** The shapes every key builder returns, and the tenant prefix every partition key starts with. */
export interface ItemKey {
  pk: string;
  sk: string;
}

export interface IndexKeys {
  gsi1pk?: string;
  gsi1sk?: string;
  gsi2pk?: string;
  gsi2sk?: string;
  gsi3pk?: string;
  gsi3sk?: string;
}

export const tenant = (tenantId: string) => `TENANT#${tenantId}`;
