import type { Principal } from '../../functions/domain/access/principal';
import { signDevToken } from '../../local/auth/dev-jwt';

/** A call of the local API as a given person (a dev token signed with the server's secret); a non-2xx answer throws. */
export function callAs(url: string, secret: Buffer) {
  return async (p: Principal, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${signDevToken({ tenantId: p.tenantId, userId: p.userId, roles: [...p.roles] }, secret)}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path} → ${response.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as Record<string, unknown> & { id: string };
  };
}
