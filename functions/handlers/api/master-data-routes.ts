import * as z from 'zod/mini';
import type { Entity } from '../../domain/shared/entity';
import type { MasterDataService } from '../../domain/shared/master-data-service';
import { idParams, pageQuery } from '../../domain/shared/schema';
import { defineRoute, implement, type RouteImplementation } from './http/route';

export const listResponse = (item: z.ZodMiniType) =>
  z.object({ items: z.array(item), nextCursor: z.optional(z.string()) });

export const deleteQuery = z.strictObject({ version: z.coerce.number().check(z.int(), z.gte(1)) });

interface MasterDataRouteOptions<C extends z.ZodMiniType, U extends z.ZodMiniType> {
  /** `/accounts` */
  basePath: string;
  tag: string;
  /** Singular, e.g. `Account`; plural for operation ids, e.g. `Accounts`. */
  singular: string;
  plural: string;
  create: C;
  update: U;
  entity: z.ZodMiniType;
}

/** The five CRUD contracts of one kind of master data. */
export function masterDataRoutes<C extends z.ZodMiniType, U extends z.ZodMiniType>(
  options: MasterDataRouteOptions<C, U>,
) {
  const { basePath, tag, singular, plural } = options;
  const item = `${basePath}/{id}`;
  return {
    create: defineRoute({
      method: 'POST',
      path: basePath,
      operationId: `create${singular}`,
      summary: `Create ${article(singular)} ${singular.toLowerCase()}`,
      tag,
      body: options.create,
      response: options.entity,
      status: 201,
      idempotent: true,
    }),
    list: defineRoute({
      method: 'GET',
      path: basePath,
      operationId: `list${plural}`,
      summary: `List ${plural.toLowerCase()}, oldest first`,
      tag,
      query: pageQuery,
      response: listResponse(options.entity),
      status: 200,
    }),
    get: defineRoute({
      method: 'GET',
      path: item,
      operationId: `get${singular}`,
      summary: `Read one ${singular.toLowerCase()}`,
      tag,
      params: idParams,
      response: options.entity,
      status: 200,
    }),
    update: defineRoute({
      method: 'PATCH',
      path: item,
      operationId: `update${singular}`,
      summary: `Change ${article(singular)} ${singular.toLowerCase()} (send the version you read)`,
      tag,
      params: idParams,
      body: options.update,
      response: options.entity,
      status: 200,
    }),
    delete: defineRoute({
      method: 'DELETE',
      path: item,
      operationId: `delete${singular}`,
      summary: `Delete ${article(singular)} ${singular.toLowerCase()} (send the version you read)`,
      tag,
      params: idParams,
      query: deleteQuery,
      status: 204,
    }),
  };
}

export type MasterDataContracts = ReturnType<typeof masterDataRoutes>;

/** Binds the five contracts to a master-data service. */
export function masterDataImplementations<T extends Entity, TCreate, TUpdate extends { version: number }>(
  routes: MasterDataContracts,
  service: MasterDataService<T, TCreate, TUpdate>,
): RouteImplementation[] {
  return [
    implement(routes.create, ({ principal, body, claims }) =>
      service.create(principal, body as TCreate, claims),
    ),
    implement(routes.list, ({ principal, query }) =>
      service.list(principal, query as z.infer<typeof pageQuery>),
    ),
    implement(routes.get, ({ principal, params }) => service.get(principal, (params as { id: string }).id)),
    implement(routes.update, ({ principal, params, body }) => {
      const changes = body as TUpdate;
      return service.update(principal, (params as { id: string }).id, changes.version, changes);
    }),
    implement(routes.delete, ({ principal, params, query }) =>
      service.delete(principal, (params as { id: string }).id, (query as { version: number }).version),
    ),
  ];
}

function article(word: string): string {
  return /^[AEIOU]/i.test(word) ? 'an' : 'a';
}
