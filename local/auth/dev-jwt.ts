import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loginName } from '../../functions/domain/organisation/identity';
import { CLAIMS } from '../../functions/handlers/api/http/claims';
import { STATE_DIR } from '../paths';

/**
 * Locally signed stand-ins for Cognito ID tokens (HS256). They exist only in
 * the local runtime: in AWS the API Gateway JWT authorizer verifies Cognito's
 * tokens and the handlers read the same claims.
 */
export const DEV_ISSUER = 'fieldservice-local';

export interface DevTokenInput {
  tenantId: string;
  userId: string;
  roles: string[];
  ttlSeconds?: number;
}

export type DevClaims = Record<string, string | number | string[]>;

/** The signing secret, created on first use under .local/ (never committed). */
export function devSecret(stateDir = STATE_DIR): Buffer {
  const file = join(stateDir, 'dev-jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
}

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signDevToken(input: DevTokenInput, secret: Buffer, now = Date.now()): string {
  const iat = Math.floor(now / 1000);
  const claims: DevClaims = {
    iss: DEV_ISSUER,
    aud: DEV_ISSUER,
    token_use: 'id',
    sub: input.userId,
    [CLAIMS.user]: loginName(input.tenantId, input.userId),
    [CLAIMS.tenant]: input.tenantId,
    [CLAIMS.groups]: input.roles,
    iat,
    exp: iat + (input.ttlSeconds ?? 12 * 3600),
  };
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** Verifies signature, algorithm, issuer, audience and expiry; undefined when any is wrong. */
export function verifyDevToken(token: string, secret: Buffer, now = Date.now()): DevClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts as [string, string, string];
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const { alg } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: string };
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as DevClaims;
    if (alg !== 'HS256' || claims.iss !== DEV_ISSUER || claims.aud !== DEV_ISSUER) return undefined;
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) return undefined;
    return claims;
  } catch {
    return undefined;
  }
}
