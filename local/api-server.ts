import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Application } from '../functions/composition/application';
import { API_FUNCTIONS, type ApiFunction } from '../functions/handlers/api/api-functions';
import { CLAIMS } from '../functions/handlers/api/http/claims';
import { type RouteContract, routeKey } from '../functions/handlers/api/http/route';
import { type DevClaims, verifyDevToken } from './auth/dev-jwt';
import { lambdaContext } from './lambda-context';
import { ROOT } from './paths';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** Every API handler module exports `createHandler(app)`; Lambda uses its `handler`, built from the environment. */
interface HandlerModule {
  createHandler(app: Application): Handler;
}

interface CompiledRoute {
  functionName: string;
  entry: string;
  contract: RouteContract;
  pattern: RegExp;
  paramNames: string[];
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const BUCKET_PATH = '/local/mail-bucket/';

/** A download link's file, as S3 answers a presigned GET (only attachments; raw mail goes through the API). */
async function serveBucketFile(
  res: ServerResponse,
  bucket: { get(key: string): Promise<Uint8Array | undefined> },
  url: URL,
): Promise<void> {
  let key: string;
  try {
    key = decodeURIComponent(url.pathname.slice(BUCKET_PATH.length));
  } catch {
    return send(res, gatewayError(400, 'The path is not valid percent-encoding'));
  }
  const body = key.startsWith('attachments/') ? await bucket.get(key).catch(() => undefined) : undefined;
  if (!body) return send(res, gatewayError(404, `No file ${key}`));
  const filename = url.searchParams.get('filename') ?? key.split('/').pop() ?? 'file';
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`,
    'content-length': body.byteLength,
  });
  res.end(body);
}

const CLOCK_PATH = '/local/clock';

/** Moves the local clock to `now` (never back) and answers what fired: how `npm run plans:tick` works. */
async function moveClock(
  req: IncomingMessage,
  res: ServerResponse,
  clock: { advanceTo(date: Date): Promise<string[]>; now(): Date },
) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let now: Date | undefined;
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { now?: unknown };
    if (typeof body.now === 'string' && !Number.isNaN(Date.parse(body.now))) now = new Date(body.now);
  } catch {
    // Answered below as a body without a time.
  }
  if (!now) return send(res, gatewayError(400, 'Expected a JSON body {"now": "<ISO time>"}'));
  const fired = await clock.advanceTo(now);
  return send(res, {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ now: clock.now().toISOString(), fired }),
  });
}

/** Routes with fewer path parameters first, so `/devices/lookup` wins over `/devices/{id}` as in API Gateway. */
function compile(functions: Record<string, ApiFunction>): CompiledRoute[] {
  const routes = Object.entries(functions).flatMap(([functionName, fn]) =>
    fn.routes.map((contract) => {
      const paramNames: string[] = [];
      const source = contract.path
        .split('/')
        .map((segment) => {
          const param = /^\{(\w+)\}$/.exec(segment);
          if (!param?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          paramNames.push(param[1]);
          return '([^/]+)';
        })
        .join('/');
      return { functionName, entry: fn.entry, contract, pattern: new RegExp(`^${source}$`), paramNames };
    }),
  );
  return routes.sort((a, b) => a.paramNames.length - b.paramNames.length);
}

/**
 * API Gateway (HTTP API) for the local runtime: turns HTTP requests into
 * payload-format-2.0 events for the same handlers, and verifies the dev
 * tokens the way the JWT authorizer verifies Cognito's.
 */
export async function startApiServer(options: {
  /** The application every handler is built from (its ports: table, clock, scheduler, mail). */
  app: Application;
  port: number;
  secret: Buffer;
  host?: string;
  functions?: Record<string, ApiFunction>;
  /** What a presigned S3 link downloads in AWS: files served under `/local/mail-bucket/<key>`. */
  bucket?: { get(key: string): Promise<Uint8Array | undefined> };
  /** `POST /local/clock {"now": ISO}` moves the one clock forward and fires what is due by then. */
  clock?: { advanceTo(date: Date): Promise<string[]>; now(): Date };
}): Promise<{ url: string; server: Server }> {
  const routes = compile(options.functions ?? API_FUNCTIONS);
  const handlers = new Map<string, Promise<Handler>>();
  const load = (route: CompiledRoute) => {
    let handler = handlers.get(route.entry);
    if (!handler) {
      handler = import(pathToFileURL(join(ROOT, route.entry)).href).then((module: HandlerModule) =>
        module.createHandler(options.app),
      );
      handlers.set(route.entry, handler);
    }
    return handler;
  };

  const tenants = knownTenants(options.app);

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error(
        JSON.stringify({ level: 'error', message: 'local gateway failure', error: String(error) }),
      );
      if (!res.headersSent)
        send(res, { statusCode: 502, body: JSON.stringify({ message: 'Internal Server Error' }) });
    });
  });

  // Requests Node cannot parse (raw non-ASCII in the URL, a malformed request line) get a problem too.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const body = JSON.stringify({
      type: 'about:blank',
      title: status === 431 ? 'Request Header Fields Too Large' : 'Bad Request',
      status,
      detail:
        error.code === 'HPE_INVALID_URL' || error.code === 'HPE_INVALID_METHOD'
          ? 'The request line is not valid: a URL holds only ASCII, anything else percent-encoded'
          : 'The request is not valid HTTP',
    });
    socket.end(
      `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
        'content-type: application/problem+json\r\n' +
        `content-length: ${Buffer.byteLength(body)}\r\n` +
        'connection: close\r\n\r\n' +
        body,
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    if (options.bucket && method === 'GET' && url.pathname.startsWith(BUCKET_PATH)) {
      return serveBucketFile(res, options.bucket, url);
    }
    if (options.clock && method === 'POST' && url.pathname === CLOCK_PATH) {
      return moveClock(req, res, options.clock);
    }
    const candidates = routes
      .map((route) => ({ route, match: route.pattern.exec(url.pathname) }))
      .filter((c) => c.match !== null);
    const found = candidates.find((c) => c.route.contract.method === method);
    if (!found?.match) {
      return send(
        res,
        gatewayError(
          404,
          candidates.length > 0
            ? `Method ${method} not allowed on ${url.pathname}`
            : `No route ${url.pathname}`,
        ),
      );
    }
    const { route, match } = found;
    const body = await readBody(req);
    if (body === 'too-large') return send(res, gatewayError(413, 'Request body larger than 10 MB'));

    let claims: DevClaims | undefined;
    if (route.contract.auth !== 'none') {
      const authorization = req.headers.authorization ?? '';
      const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
      claims = token ? verifyDevToken(token, options.secret) : undefined;
      if (!claims) return send(res, gatewayError(401, 'Unauthorized'));
      const tenantId = String(claims[CLAIMS.tenant] ?? '');
      if (!(await tenants.exists(tenantId)))
        return send(
          res,
          gatewayError(
            401,
            `The token's tenant ${tenantId} does not exist: create it first (npm run seed, or npm run create-tenant -- --endpoint …)`,
          ),
        );
    }
    const pathParameters: Record<string, string> = {};
    for (const [i, name] of route.paramNames.entries()) {
      const value = decodePathSegment(match[i + 1] ?? '');
      if (value === undefined)
        return send(res, gatewayError(400, `The path parameter ${name} is not valid percent-encoded UTF-8`));
      pathParameters[name] = value;
    }
    const event = toEvent(req, url, method, routeKey(route.contract), pathParameters, body, claims);
    const handler = await load(route);
    const result = await handler(event, lambdaContext(`api-${route.functionName}`));
    send(res, result);
  }

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { url: `http://${host}:${port}`, server };
}

function toEvent(
  req: IncomingMessage,
  url: URL,
  method: string,
  key: string,
  pathParameters: Record<string, string>,
  body: Buffer,
  claims: DevClaims | undefined,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  const now = new Date();
  const event: APIGatewayProxyEventV2 & { requestContext: { authorizer?: unknown } } = {
    version: '2.0',
    routeKey: key,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: key,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
    },
    isBase64Encoded: false,
  };
  if (body.length > 0) event.body = body.toString('utf8');
  return event;
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * In AWS only the users of an existing tenant get tokens (the identity
 * provisioner creates their logins); dev tokens can name any tenant, so the
 * local gateway refuses those whose tenant does not exist, as no token for one
 * could exist in AWS. Tenants are never deleted, so a tenant once found stays known.
 */
function knownTenants(app: Application) {
  const known = new Set<string>();
  return {
    async exists(tenantId: string): Promise<boolean> {
      if (known.has(tenantId)) return true;
      if (tenantId === '' || !(await app.masterData.repositories.tenants.get(tenantId))) return false;
      known.add(tenantId);
      return true;
    },
  };
}

/** A path segment decoded, or undefined when it is not percent-encoded UTF-8. */
function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** API Gateway's own answers (before any handler runs), as problem details. */
function gatewayError(status: number, detail: string): APIGatewayProxyStructuredResultV2 {
  const title =
    { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 413: 'Content Too Large' }[status] ??
    'Error';
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({ type: 'about:blank', title, status, detail }),
  };
}

function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2) {
  res.statusCode = result.statusCode ?? 200;
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, String(value));
  const body =
    result.body === undefined
      ? undefined
      : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  res.end(body);
}
