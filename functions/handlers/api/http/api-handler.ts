import { createHash } from 'node:crypto';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod/mini';
import type { Principal } from '../../../domain/access/principal';
import {
  type FieldError,
  IdempotencyKeyReusedError,
  IdempotencyKeyTakenError,
  ValidationError,
} from '../../../domain/shared/errors';
import type { IdempotencyClaim, IdempotencyStore } from '../../../domain/shared/ports';
import type { FunctionLogger, Logger } from '../../../shared/logger';
import type { FunctionMetrics, Metrics } from '../../../shared/metrics';
import { observability, observe } from '../../observability';
import { principalFromEvent } from './claims';
import { problem, problemResponse, toProblem } from './problem';
import {
  RawResponse,
  type RouteContract,
  type RouteImplementation,
  routeKey,
  type TextMediaType,
} from './route';

export interface ApiDependencies {
  /** Needed when a route honours Idempotency-Key. */
  idempotency?: IdempotencyStore;
  logger?: FunctionLogger;
  metrics?: FunctionMetrics;
}

type Event = APIGatewayProxyEventV2 & Parameters<typeof principalFromEvent>[0];
type Result = APIGatewayProxyStructuredResultV2;

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * One Lambda handler serving a group of routes: finds the route by the event's
 * routeKey, reads the principal, validates path, query and body against the
 * contract, honours Idempotency-Key, and maps every error to problem+json.
 */
export function apiHandler(routes: RouteImplementation[], deps: ApiDependencies) {
  const byKey = new Map(routes.map((route) => [routeKey(route.contract), route]));
  const tools = observability('api', { logger: deps.logger, metrics: deps.metrics });
  const { logger: rootLogger, metrics } = tools;
  const idempotency = deps.idempotency;
  if (!idempotency && routes.some((route) => route.contract.idempotent)) {
    throw new Error('Routes that honour Idempotency-Key need an idempotency store');
  }

  const core = async (event: Event, context: Context): Promise<Result> => {
    const correlationId = correlationIdOf(event, context);
    rootLogger.powertools.setCorrelationId(correlationId);
    const logger = rootLogger.child({ routeKey: event.routeKey });
    const started = Date.now();
    let response: Result;
    try {
      response = await dispatch(event, correlationId, logger, metrics);
    } catch (error) {
      const details = toProblem(error, correlationId);
      if (details.status >= 500) logger.error('request failed', { error });
      else logger.info('request refused', { status: details.status, detail: details.detail });
      response = problemResponse(details);
    }
    logger.info('request', { status: response.statusCode, durationMs: Date.now() - started });
    return response;
  };

  async function dispatch(
    event: Event,
    correlationId: string,
    logger: Logger,
    metrics: Metrics,
  ): Promise<Result> {
    const route = byKey.get(event.routeKey);
    if (!route) return problemResponse(problem(404, `No route ${event.routeKey}`, correlationId));
    const { contract } = route;
    const principal = contract.auth === 'none' ? undefined : principalFromEvent(event);
    const headers = lowerCaseHeaders(event.headers);
    const rawBody = readBody(event);
    if (contract.maxBodyBytes !== undefined && rawBody !== undefined) {
      const size = Buffer.byteLength(rawBody, 'utf8');
      if (size > contract.maxBodyBytes)
        return problemResponse(
          problem(
            413,
            `The body has ${size} bytes; this route takes at most ${contract.maxBodyBytes}`,
            correlationId,
          ),
        );
    }
    const textType = contract.requestBody === 'application/json' ? undefined : contract.requestBody;
    if (textType && rawBody !== undefined) {
      const refused = unsupportedText(textType, headers['content-type']);
      if (refused) return problemResponse(problem(415, refused, correlationId));
    }
    const fields: FieldError[] = pathParameterErrors(event.pathParameters);
    const params = parse(contract.params, event.pathParameters ?? {}, 'path', fields);
    const query = parse(contract.query, event.queryStringParameters ?? {}, 'query', fields);
    const body = contract.body
      ? parse(contract.body, textType ? rawBody : parseJson(rawBody, headers), 'body', fields)
      : undefined;
    if (fields.length > 0) throw new ValidationError('The request is not valid', fields);

    const claim =
      contract.idempotent && principal
        ? idempotencyClaim(headers, principal, event.routeKey, rawBody)
        : undefined;
    if (claim && principal) {
      const replay = await replayed(principal, claim, contract, correlationId);
      if (replay) return replay;
    }
    const request = {
      params,
      query,
      body,
      principal,
      headers,
      correlationId,
      logger,
      metrics,
      idempotency: claim,
      claims: claim ? [claim] : [],
    };
    try {
      const result = await route
        .handle(request as Parameters<RouteImplementation['handle']>[0])
        .catch((error: unknown) => {
          // The domain names fields of its input; where that input came from is known only here.
          throw error instanceof ValidationError ? error.locatedIn(contract.body ? 'body' : 'query') : error;
        });
      if (result instanceof RawResponse) return raw(contract.status, result, correlationId);
      return json(contract.status, result, correlationId);
    } catch (error) {
      // A concurrent request with the same key won the claim: answer as it did.
      if (error instanceof IdempotencyKeyTakenError && claim && principal) {
        const replay = await replayed(principal, claim, contract, correlationId);
        if (replay) return replay;
      }
      throw error;
    }
  }

  async function replayed(
    principal: Principal,
    claim: IdempotencyClaim,
    contract: RouteContract,
    correlationId: string,
  ) {
    const record = await idempotency?.find(principal.tenantId, claim.userId, claim.key);
    if (!record) return undefined;
    if (record.fingerprint !== claim.fingerprint) {
      return problemResponse(toProblem(new IdempotencyKeyReusedError(claim.key), correlationId));
    }
    const response = json(contract.status, record.resource, correlationId);
    response.headers = { ...response.headers, 'idempotent-replayed': 'true' };
    return response;
  }

  return middy<Event, Result>().use(observe(tools)).handler(core);
}

function correlationIdOf(event: Event, context: Context): string {
  const header = event.headers?.['x-correlation-id'];
  if (header && /^[A-Za-z0-9._-]{1,128}$/.test(header)) return header;
  return event.requestContext?.requestId ?? context.awsRequestId;
}

function lowerCaseHeaders(headers: Event['headers'] | undefined): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers ?? {})) result[name.toLowerCase()] = value;
  return result;
}

function readBody(event: Event): string | undefined {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

function parseJson(raw: string | undefined, headers: Record<string, string | undefined>): unknown {
  if (raw === undefined) return undefined;
  const type = headers['content-type'];
  if (type && !/^application\/([a-z.+-]*\+)?json\b/i.test(type)) {
    throw new ValidationError('The body must be JSON', [
      { field: 'header.content-type', message: `Expected application/json, got ${type}` },
    ]);
  }
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new ValidationError('The body is not valid JSON', [
      { field: 'body', message: (error as Error).message },
    ]);
  }
}

/** Why a text body of the route's type is refused (415), or undefined: the type must match, in UTF-8. */
function unsupportedText(expected: TextMediaType, type: string | undefined): string | undefined {
  const [mediaType = '', ...parameters] = (type ?? '').split(';').map((part) => part.trim());
  if (mediaType.toLowerCase() !== expected)
    return `The body must be ${expected}, got ${type ?? 'no content type'}`;
  const charset = parameters
    .map((parameter) => /^charset\s*=\s*"?([^"]*)"?$/i.exec(parameter)?.[1]?.toLowerCase())
    .find((value) => value !== undefined);
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii')
    return `The body must be UTF-8 encoded, got charset ${charset}`;
  return undefined;
}

// A lone UTF-16 surrogate: what a percent-encoded half of a character decodes to.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Path parameters arrive decoded by the gateway; whatever could not be decoded
 * (a `%` not followed by two hex digits, half a character) or decodes to
 * control characters is refused here rather than trusted to every route's schema.
 */
function pathParameterErrors(parameters: Event['pathParameters']): FieldError[] {
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(parameters ?? {})) {
    if (value === undefined) continue;
    const message = LONE_SURROGATE.test(value)
      ? 'Not valid UTF-8'
      : /%(?![0-9A-Fa-f]{2})/.test(value)
        ? 'Not valid percent-encoding'
        : CONTROL.test(value)
          ? 'Control characters are not allowed'
          : undefined;
    if (message) errors.push({ field: `path.${name}`, message });
  }
  return errors;
}

function parse(
  schema: z.ZodMiniType | undefined,
  value: unknown,
  where: string,
  fields: FieldError[],
): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys)
        fields.push({ field: [where, ...path, key].join('.'), message: 'Unknown field' });
    } else {
      fields.push({ field: [where, ...path].join('.'), message: issue.message });
    }
  }
  return undefined;
}

function idempotencyClaim(
  headers: Record<string, string | undefined>,
  principal: Principal,
  key: string,
  rawBody: string | undefined,
): IdempotencyClaim | undefined {
  const value = headers['idempotency-key'];
  if (value === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(value)) {
    throw new ValidationError('Invalid Idempotency-Key', [
      { field: 'header.idempotency-key', message: 'Must be 1-128 characters of letters, digits, . _ : -' },
    ]);
  }
  const fingerprint = createHash('sha256')
    .update(key)
    .update('\n')
    .update(rawBody ?? '')
    .digest('base64url');
  return { kind: 'idempotency-key', userId: principal.userId, key: value, fingerprint };
}

function raw(status: number, response: RawResponse, correlationId: string): Result {
  return {
    statusCode: status,
    headers: { ...response.headers, 'content-type': response.contentType, 'x-correlation-id': correlationId },
    ...(typeof response.body === 'string'
      ? { body: response.body }
      : { body: Buffer.from(response.body).toString('base64'), isBase64Encoded: true }),
  };
}

function json(status: number, body: unknown, correlationId: string): Result {
  const headers = { 'x-correlation-id': correlationId };
  if (status === 204 || body === undefined) return { statusCode: status, headers };
  return {
    statusCode: status,
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}
