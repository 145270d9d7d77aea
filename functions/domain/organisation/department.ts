import * as z from 'zod/mini';
import type { Entity } from '../shared/entity';
import { ConflictError } from '../shared/errors';
import { type MasterDataRules, requireReference } from '../shared/master-data-service';
import { applyChanges, partial } from '../shared/partial';
import { entityFields, expectedVersion, identifier, text } from '../shared/schema';
import { assertAcyclic } from './hierarchy';
import { departmentFacts } from './org-chart';
import type { OrgChartListener } from './org-chart-listener';

const departmentFields = {
  name: text(200),
  parentId: z.optional(identifier),
  /** The department head sees the work of the department (and, by tenant setting, of its sub-departments). */
  headId: z.optional(identifier),
};

export const createDepartmentInput = z.strictObject(departmentFields);
export const updateDepartmentInput = z.strictObject({
  ...partial(departmentFields),
  version: expectedVersion,
});
export const departmentSchema = z.object({ ...entityFields, ...departmentFields });

export type CreateDepartmentInput = z.infer<typeof createDepartmentInput>;
export type UpdateDepartmentInput = z.infer<typeof updateDepartmentInput>;
export type Department = Entity & CreateDepartmentInput;

export interface DepartmentLookup {
  get(tenantId: string, id: string): Promise<Department | undefined>;
  hasChildren(tenantId: string, id: string): Promise<boolean>;
  hasMembers(tenantId: string, id: string): Promise<boolean>;
}

export const departmentRules = (
  departments: DepartmentLookup,
  users: { get(tenantId: string, id: string): Promise<unknown> },
  orgChart: OrgChartListener,
): MasterDataRules<Department, CreateDepartmentInput, UpdateDepartmentInput> => ({
  resource: 'Department',
  eventSource: 'fieldservice.organisation',
  permissions: { read: 'department:read', write: 'department:write', delete: 'department:write' },
  create: (input, base) => ({ ...base, ...input }),
  update: (department, changes) => applyChanges(department, changes),
  check: async (department, previous) => {
    if (department.headId !== previous?.headId) {
      await requireReference('headId', 'user', department.headId, (id) => users.get(department.tenantId, id));
    }
    if (department.parentId !== previous?.parentId && department.parentId) {
      await assertAcyclic({
        selfId: department.id,
        startId: department.parentId,
        field: 'parentId',
        noun: 'parent department',
        parentOf: async (id) => {
          const parent = await departments.get(department.tenantId, id);
          return parent && { parentId: parent.parentId };
        },
      });
    }
  },
  checkDelete: async (department) => {
    if (await departments.hasChildren(department.tenantId, department.id)) {
      throw new ConflictError(`Department ${department.id} still has sub-departments`);
    }
    if (await departments.hasMembers(department.tenantId, department.id)) {
      throw new ConflictError(`Department ${department.id} is still the main department of some users`);
    }
  },
  effects: async (next, previous) => {
    const facts = departmentFacts(previous, next);
    const tenantId = (next ?? previous)?.tenantId;
    return facts.length > 0 && tenantId ? orgChart.changed(tenantId, facts, { newcomer: !previous }) : {};
  },
});
