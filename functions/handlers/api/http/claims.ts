import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { isRole, type Principal } from '../../../domain/access/principal';
import { userIdFromLoginName } from '../../../domain/organisation/identity';
import { UnauthorizedError } from '../../../domain/shared/errors';

/**
 * Claim names as Cognito puts them in ID tokens; the local dev tokens use the
 * same. The Cognito username is `<tenant>.<user id>` (see loginName), set by
 * the identity provisioner; Cognito's own `sub` cannot be chosen.
 */
export const CLAIMS = {
  user: 'cognito:username',
  tenant: 'custom:tenantId',
  groups: 'cognito:groups',
} as const;

type Claims = Record<string, string | number | boolean | string[]>;

interface EventWithJwt {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { jwt?: { claims?: Claims } };
  };
}

/**
 * The principal from the JWT claims that API Gateway's authorizer (or the
 * local server) verified. API Gateway passes array claims as "[a b]" strings.
 */
export function principalFromEvent(event: EventWithJwt): Principal {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (!claims) throw new UnauthorizedError('A bearer token is required');
  const login = claims[CLAIMS.user];
  const tenantId = claims[CLAIMS.tenant];
  if (typeof tenantId !== 'string' || tenantId === '')
    throw new UnauthorizedError('The token names no tenant');
  if (typeof login !== 'string' || login === '') throw new UnauthorizedError('The token names no user');
  const userId = userIdFromLoginName(tenantId, login);
  if (!userId) throw new UnauthorizedError("The token's user does not belong to its tenant");
  return { userId, tenantId, roles: parseGroups(claims[CLAIMS.groups]).filter(isRole) };
}

function parseGroups(value: Claims[string] | undefined): string[] {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter((group) => group.length > 0);
}
