import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../functions/adapters/dynamodb/cursor';
import { principalFromEvent } from '../../functions/handlers/api/http/claims';
import { signDevToken, verifyDevToken } from '../../local/auth/dev-jwt';

const withClaims = (claims: Record<string, string | string[]>) =>
  ({ requestContext: { authorizer: { jwt: { claims } } } }) as unknown as Parameters<
    typeof principalFromEvent
  >[0];

describe('principal from JWT claims', () => {
  it('reads groups as API Gateway passes them ("[a b]") and as arrays, keeping known roles only', () => {
    const fromGateway = principalFromEvent(
      withClaims({
        'cognito:username': 't1.u1',
        'custom:tenantId': 't1',
        'cognito:groups': '[crm-admin service-staff root]',
      }),
    );
    const fromArray = principalFromEvent(
      withClaims({ 'cognito:username': 't1.u1', 'custom:tenantId': 't1', 'cognito:groups': ['integration'] }),
    );
    expect(fromGateway).toEqual({ userId: 'u1', tenantId: 't1', roles: ['crm-admin', 'service-staff'] });
    expect(fromArray.roles).toEqual(['integration']);
  });

  it('refuses a token without tenant or user', () => {
    expect(() => principalFromEvent(withClaims({ 'cognito:username': 't1.u1' }))).toThrow(/tenant/);
    expect(() =>
      principalFromEvent(withClaims({ 'cognito:username': 't2.u1', 'custom:tenantId': 't1' })),
    ).toThrow(/belong/);
    expect(() => principalFromEvent(withClaims({ 'custom:tenantId': 't1' }))).toThrow(/names no user/);
    expect(() =>
      principalFromEvent({ requestContext: {} } as Parameters<typeof principalFromEvent>[0]),
    ).toThrow(/bearer/);
  });
});

describe('dev tokens', () => {
  const secret = randomBytes(32);
  const token = signDevToken(
    { tenantId: 't1', userId: 'u1', roles: ['crm-admin'] },
    secret,
    Date.UTC(2026, 0, 1),
  );

  it('verify with the same secret and carry Cognito-shaped claims', () => {
    expect(verifyDevToken(token, secret, Date.UTC(2026, 0, 1, 1))).toMatchObject({
      'cognito:username': 't1.u1',
      'custom:tenantId': 't1',
      'cognito:groups': ['crm-admin'],
    });
  });

  it('fail when expired, signed with another secret, or tampered with', () => {
    const [header, , signature] = token.split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ 'custom:tenantId': 't2' })).toString('base64url')}.${signature}`;
    expect(verifyDevToken(token, secret, Date.UTC(2026, 0, 2))).toBeUndefined();
    expect(verifyDevToken(token, randomBytes(32), Date.UTC(2026, 0, 1, 1))).toBeUndefined();
    expect(verifyDevToken(tampered, secret, Date.UTC(2026, 0, 1, 1))).toBeUndefined();
  });
});

describe('page cursors', () => {
  it('round-trip, and are refused outside the query they came from', () => {
    const cursor = encodeCursor({ pk: 'TENANT#a', sk: 'ACCOUNT#01' });
    expect(decodeCursor(cursor, { pk: 'TENANT#a', sk: { prefix: 'ACCOUNT#' } })).toEqual({
      pk: 'TENANT#a',
      sk: 'ACCOUNT#01',
    });
    expect(() => decodeCursor(cursor, { pk: 'TENANT#b' })).toThrow('Invalid cursor');
    expect(() => decodeCursor(cursor, { pk: 'TENANT#a', sk: { prefix: 'USER#' } })).toThrow('Invalid cursor');
    expect(() => decodeCursor('%%%', { pk: 'TENANT#a' })).toThrow('Invalid cursor');
  });
});

describe('ids', () => {
  it('sort in the order they were made, also within one millisecond', async () => {
    const { ulidGenerator } = await import('../../functions/shared/clock');
    const frozen = { now: () => new Date('2026-11-23T10:00:00.000Z') };
    const ids = ulidGenerator(frozen);
    const made = Array.from({ length: 1000 }, () => ids.next());
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(1000);
    expect(made[0]).toHaveLength(26);
  });
});
