import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  ConflictError,
  DomainError,
  type FieldError,
  IdempotencyKeyReusedError,
  ValidationError,
} from '../../../domain/shared/errors';

const STATUS: Record<DomainError['kind'], number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  unprocessable: 422,
};

const TITLE: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  correlationId: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export function problemResponse(
  problem: Problem,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: {
      'content-type': 'application/problem+json',
      'x-correlation-id': problem.correlationId,
      ...headers,
    },
    body: JSON.stringify(problem),
  };
}

export function problem(
  status: number,
  detail: string,
  correlationId: string,
  extensions: Record<string, unknown> = {},
): Problem {
  // Extensions never replace the members RFC 9457 defines (a conflict's `status` detail would break the answer).
  return {
    ...extensions,
    type: 'about:blank',
    title: TITLE[status] ?? 'Error',
    status,
    detail,
    correlationId,
  };
}

/**
 * The one place errors become HTTP answers (RFC 9457 problem details).
 * Anything that is not a DomainError is a 500 without internals.
 */
export function toProblem(error: unknown, correlationId: string): Problem {
  if (!(error instanceof DomainError)) {
    return problem(
      500,
      'The request could not be completed; quote the correlation id when reporting it',
      correlationId,
    );
  }
  const status = STATUS[error.kind];
  const extensions: Record<string, unknown> = {};
  if (
    (error instanceof ValidationError || error instanceof IdempotencyKeyReusedError) &&
    error.fields.length > 0
  ) {
    extensions.errors = error.fields;
  }
  if (error instanceof ConflictError) Object.assign(extensions, error.details);
  return problem(status, error.message, correlationId, extensions);
}
