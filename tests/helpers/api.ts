import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { type Application, compose } from '../../functions/composition/application';
import { basePorts } from '../../functions/composition/ports';
import type { Role } from '../../functions/domain/access/principal';
import { startApiServer } from '../../local/api-server';
import { signDevToken } from '../../local/auth/dev-jwt';
import { freshTable } from './table';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface TestApi {
  url: string;
  token(tenantId: string, userId: string, ...roles: Role[]): string;
  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<ApiResponse<T>>;
  table: Awaited<ReturnType<typeof freshTable>>;
  /** The application the API's handlers were built from: the same table, clock and ports. */
  app: Application;
  /** Creates a tenant (with an admin `admin`), as create-tenant does: the gateway refuses tokens of unknown tenants. */
  createTenant(tenantId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The API as a client sees it: the local API Gateway on a loopback port,
 * the real handlers, a fresh table on the run's DynamoDB Local.
 */
export async function startTestApi(
  ports: Omit<Parameters<typeof basePorts>[1], 'table'> = {},
): Promise<TestApi> {
  const table = await freshTable('api');
  return startApiFor(compose(basePorts(table, ports)), table);
}

/** The API in front of an application built elsewhere (the local runtime's, with its mail folder). */
export async function startApiFor(
  app: Application,
  table: TestApi['table'],
  options: Pick<Parameters<typeof startApiServer>[0], 'bucket'> = {},
): Promise<TestApi> {
  const secret = randomBytes(32);
  const { url, server } = await startApiServer({ app, port: 0, secret, ...options });
  return {
    url,
    app,
    table,
    createTenant: async (tenantId) => {
      await app.masterData.tenants.create({
        id: tenantId,
        name: `Tenant ${tenantId}`,
        admin: { id: 'admin', name: 'Admin', email: `admin@${tenantId}.example` },
      });
    },
    token: (tenantId, userId, ...roles) => signDevToken({ tenantId, userId, roles }, secret),
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined = options.rawBody;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${url}${path}`, { method, headers, body });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        body: text ? JSON.parse(text) : undefined,
      };
    },
    close: async () => {
      await new Promise<void>((resolve) => (server as Server).close(() => resolve()));
      await table.drop();
    },
  };
}
