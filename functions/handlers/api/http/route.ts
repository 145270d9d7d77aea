import type { z } from 'zod/mini';
import type { Principal } from '../../../domain/access/principal';
import type { Claim, IdempotencyClaim } from '../../../domain/shared/ports';
import type { Logger } from '../../../shared/logger';
import type { Metrics } from '../../../shared/metrics';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Schema = z.ZodMiniType;
/** Bodies that are passed on as text (not parsed as JSON): `body` is then a string schema. */
/** Bodies other than JSON; `message/rfc822` (a raw mail) is sent as bytes. */
export type TextMediaType = 'text/csv' | 'text/html' | 'message/rfc822';

/**
 * The contract of one API route: everything the handler, the API Gateway
 * routes (CDK), the local server and the OpenAPI document need to know.
 * Contracts hold schemas only, so infrastructure code may import them.
 */
export interface RouteContract<
  P extends Schema | undefined = Schema | undefined,
  Q extends Schema | undefined = Schema | undefined,
  B extends Schema | undefined = Schema | undefined,
> {
  method: HttpMethod;
  /** API Gateway path syntax: `/accounts/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  /** Media type of the body: JSON (default) is parsed, a text type reaches `body` as the string sent. */
  requestBody?: 'application/json' | TextMediaType;
  /** Bodies larger than this (in bytes, after any base64 decoding) are refused with 413. */
  maxBodyBytes?: number;
  response?: Schema;
  /**
   * A successful answer that is not JSON: the handler returns a `rawResponse` of this type (or of
   * one of these, chosen by the request, e.g. an image as SVG or PNG).
   */
  responseBody?: TextMediaType | 'image/svg+xml' | 'image/png' | readonly ('image/svg+xml' | 'image/png')[];
  /** Status of a successful answer. */
  status: 200 | 201 | 202 | 204;
  /** Honours the Idempotency-Key header (creating POSTs). */
  idempotent?: boolean;
  /** `none` only for health and the OpenAPI document. */
  auth?: 'jwt' | 'none';
}

export function defineRoute<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
>(contract: RouteContract<P, Q, B>): RouteContract<P, Q, B> {
  return contract;
}

export const routeKey = (contract: Pick<RouteContract, 'method' | 'path'>): string =>
  `${contract.method} ${contract.path}`;

type Infer<S> = [S] extends [undefined] ? undefined : z.output<NonNullable<S>>;

export interface ApiRequest<C extends RouteContract> {
  params: Infer<C['params']>;
  query: Infer<C['query']>;
  body: Infer<C['body']>;
  /** Undefined only on routes with `auth: 'none'`. */
  principal: C['auth'] extends 'none' ? Principal | undefined : Principal;
  headers: Record<string, string | undefined>;
  correlationId: string;
  logger: Logger;
  /** Business counters, published with the invocation's end. */
  metrics: Metrics;
  /** Present when the caller sent an Idempotency-Key on an idempotent route. */
  idempotency?: IdempotencyClaim;
  /** What the change claims: the Idempotency-Key, when one was sent. */
  claims: Claim[];
}

/** An answer passed through as it is (a CSV file, say) instead of being serialised as JSON. */
export class RawResponse {
  constructor(
    readonly contentType: string,
    /** Text, or bytes (sent base64-encoded through API Gateway). */
    readonly body: string | Uint8Array,
    readonly headers: Record<string, string> = {},
  ) {}
}

export const rawResponse = (
  contentType: string,
  body: string | Uint8Array,
  headers?: Record<string, string>,
) => new RawResponse(contentType, body, headers);

export interface RouteImplementation<C extends RouteContract = RouteContract> {
  contract: C;
  /** Returns the response body (or a `RawResponse`); the status comes from the contract. */
  handle(request: ApiRequest<C>): Promise<unknown>;
}

export function implement<C extends RouteContract>(
  contract: C,
  handle: (request: ApiRequest<C>) => Promise<unknown>,
): RouteImplementation {
  return { contract, handle: handle as RouteImplementation['handle'] };
}
