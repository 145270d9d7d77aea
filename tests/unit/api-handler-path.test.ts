import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { apiHandler } from '../../functions/handlers/api/http/api-handler';
import { defineRoute, implement } from '../../functions/handlers/api/http/route';
import { createLogger } from '../../functions/shared/logger';

// A route whose own schema takes any string: the edge alone must refuse what the gateway could not decode.
const echo = defineRoute({
  method: 'GET',
  path: '/echo/{name}',
  operationId: 'echo',
  summary: 'Echo a path parameter',
  tag: 'test',
  params: z.strictObject({ name: z.string() }),
  status: 200,
  auth: 'none',
});
const handler = apiHandler([implement(echo, async ({ params }) => ({ name: params.name }))], {
  logger: createLogger({}, () => undefined),
});

const invoke = (name: string) =>
  handler(
    {
      version: '2.0',
      routeKey: 'GET /echo/{name}',
      rawPath: `/echo/${name}`,
      rawQueryString: '',
      headers: {},
      pathParameters: { name },
      requestContext: { requestId: 'r-1' },
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2,
    { awsRequestId: 'r-1' } as Context,
  );

describe('the Lambda edge and path parameters', () => {
  it.each([
    ['%ZZ', 'Not valid percent-encoding'],
    ['%', 'Not valid percent-encoding'],
    ['\uD800x', 'Not valid UTF-8'],
    ['a\u0000b', 'Control characters are not allowed'],
    ['line\nbreak', 'Control characters are not allowed'],
  ])('refuses %j with a 400 problem naming the parameter', async (name, message) => {
    const response = await invoke(name);

    expect(response.statusCode).toBe(400);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(String(response.body)).errors).toEqual([{ field: 'path.name', message }]);
  });

  it('passes decoded values on, non-ASCII included', async () => {
    const response = await invoke('Müller 100%25');

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(String(response.body))).toEqual({ name: 'Müller 100%25' });
  });
});
