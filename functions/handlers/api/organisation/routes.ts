import * as z from 'zod/mini';
import {
  createDepartmentInput,
  departmentSchema,
  updateDepartmentInput,
} from '../../../domain/organisation/department';
import { tenantSchema, updateTenantInput } from '../../../domain/organisation/tenant';
import { createUserInput, updateUserInput, userSchema } from '../../../domain/organisation/user';
import {
  changeMembersInput,
  createUserGroupInput,
  membershipSchema,
  updateUserGroupInput,
  userGroupSchema,
} from '../../../domain/organisation/user-group';
import { idParams, pageQuery } from '../../../domain/shared/schema';
import { defineRoute } from '../http/route';
import { listResponse, masterDataRoutes } from '../master-data-routes';

const TAG = 'Organisation';

export const userRoutes = masterDataRoutes({
  basePath: '/users',
  tag: TAG,
  singular: 'User',
  plural: 'Users',
  create: createUserInput,
  update: updateUserInput,
  entity: userSchema,
});

export const departmentRoutes = masterDataRoutes({
  basePath: '/departments',
  tag: TAG,
  singular: 'Department',
  plural: 'Departments',
  create: createDepartmentInput,
  update: updateDepartmentInput,
  entity: departmentSchema,
});

export const userGroupRoutes = masterDataRoutes({
  basePath: '/user-groups',
  tag: TAG,
  singular: 'UserGroup',
  plural: 'UserGroups',
  create: createUserGroupInput,
  update: updateUserGroupInput,
  entity: userGroupSchema,
});

export const organisationRoutes = {
  getTenant: defineRoute({
    method: 'GET',
    path: '/tenant',
    operationId: 'getTenant',
    summary: "The caller's tenant and its settings",
    tag: TAG,
    response: tenantSchema,
    status: 200,
  }),
  updateTenant: defineRoute({
    method: 'PATCH',
    path: '/tenant',
    operationId: 'updateTenant',
    summary: "Change the tenant's name or settings (CRM admin)",
    tag: TAG,
    body: updateTenantInput,
    response: tenantSchema,
    status: 200,
  }),
  subordinates: defineRoute({
    method: 'GET',
    path: '/users/{id}/subordinates',
    operationId: 'listSubordinates',
    summary: "A user's direct subordinates",
    tag: TAG,
    params: idParams,
    query: pageQuery,
    response: listResponse(userSchema),
    status: 200,
  }),
  groupMembers: defineRoute({
    method: 'GET',
    path: '/user-groups/{id}/members',
    operationId: 'listUserGroupMembers',
    summary: 'The members of a user group',
    tag: TAG,
    params: idParams,
    query: pageQuery,
    response: listResponse(membershipSchema),
    status: 200,
  }),
  changeGroupMembers: defineRoute({
    method: 'POST',
    path: '/user-groups/{id}/members',
    operationId: 'changeUserGroupMembers',
    summary: 'Add and remove members of a user group (at most 25 of each per call)',
    tag: TAG,
    params: idParams,
    body: changeMembersInput,
    response: userGroupSchema,
    status: 200,
  }),
};

const sceneReindexJobSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  version: z.int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  status: z.enum(['running', 'done']),
  cause: z.array(z.object({ kind: z.enum(['superior', 'parent', 'head', 'scope']) })),
  holds: z.union([z.array(z.string()), z.literal('everyone')]),
  targets: z.array(z.object({ kind: z.string() })),
  progress: z.object({
    target: z.int(),
    cursor: z.optional(z.string()),
    ordersSeen: z.int(),
    ordersRefiled: z.int(),
    entriesWritten: z.int(),
    entriesDeleted: z.int(),
  }),
  finishedAt: z.optional(z.string()),
});

/** The re-filings of the scenes after organisation changes, with their progress: for admins. */
export const sceneReindexRoutes = {
  list: defineRoute({
    method: 'GET',
    path: '/scene-reindex-jobs',
    operationId: 'listSceneReindexJobs',
    summary: 'Re-filings of the work-order scenes after organisation changes, newest first',
    tag: TAG,
    query: pageQuery,
    response: listResponse(sceneReindexJobSchema),
    status: 200,
  }),
  get: defineRoute({
    method: 'GET',
    path: '/scene-reindex-jobs/{id}',
    operationId: 'getSceneReindexJob',
    summary: 'One re-filing: its cause, the scenes it holds, and how far it got',
    tag: TAG,
    params: idParams,
    response: sceneReindexJobSchema,
    status: 200,
  }),
};

export const allOrganisationRoutes = [
  ...Object.values(sceneReindexRoutes),
  ...Object.values(userRoutes),
  ...Object.values(departmentRoutes),
  ...Object.values(userGroupRoutes),
  ...Object.values(organisationRoutes),
];
