import { type IndexKeys, type ItemKey, tenant } from './key-types';

/** Users, departments and groups: the hierarchy and membership indexes. */
export const organisationKeys = {
  /** Direct subordinates of a user: gsi1. */
  userIndexes: (
    tenantId: string,
    user: { id: string; superiorId?: string; mainDepartmentId?: string },
  ): IndexKeys => ({
    ...(user.superiorId
      ? { gsi1pk: `${tenant(tenantId)}#SUPERIOR#${user.superiorId}`, gsi1sk: `USER#${user.id}` }
      : {}),
    ...(user.mainDepartmentId
      ? {
          gsi2pk: `${tenant(tenantId)}#DEPARTMENT#${user.mainDepartmentId}#MEMBERS`,
          gsi2sk: `USER#${user.id}`,
        }
      : {}),
  }),
  subordinatesOf: (tenantId: string, superiorId: string) => ({
    index: 'gsi1' as const,
    pk: `${tenant(tenantId)}#SUPERIOR#${superiorId}`,
    skPrefix: 'USER#',
  }),
  membersOfDepartment: (tenantId: string, departmentId: string) => ({
    index: 'gsi2' as const,
    pk: `${tenant(tenantId)}#DEPARTMENT#${departmentId}#MEMBERS`,
    skPrefix: 'USER#',
  }),

  /** Sub-departments of a department (gsi1) and departments by head (gsi2). */
  departmentIndexes: (
    tenantId: string,
    department: { id: string; parentId?: string; headId?: string },
  ): IndexKeys => ({
    ...(department.parentId
      ? {
          gsi1pk: `${tenant(tenantId)}#DEPARTMENT#${department.parentId}#CHILDREN`,
          gsi1sk: `DEPARTMENT#${department.id}`,
        }
      : {}),
    ...(department.headId
      ? {
          gsi2pk: `${tenant(tenantId)}#DEPARTMENT_HEAD#${department.headId}`,
          gsi2sk: `DEPARTMENT#${department.id}`,
        }
      : {}),
  }),
  departmentsHeadedBy: (tenantId: string, userId: string) => ({
    index: 'gsi2' as const,
    pk: `${tenant(tenantId)}#DEPARTMENT_HEAD#${userId}`,
    skPrefix: 'DEPARTMENT#',
  }),
  childrenOfDepartment: (tenantId: string, departmentId: string) => ({
    index: 'gsi1' as const,
    pk: `${tenant(tenantId)}#DEPARTMENT#${departmentId}#CHILDREN`,
    skPrefix: 'DEPARTMENT#',
  }),

  /** One item per (group, member), so "the groups I belong to" is a Query on gsi1. */
  groupMembership: (tenantId: string, groupId: string, userId: string): ItemKey & IndexKeys => ({
    pk: tenant(tenantId),
    sk: `GROUPMEMBER#${groupId}#${userId}`,
    gsi1pk: `${tenant(tenantId)}#USER#${userId}#GROUPS`,
    gsi1sk: `GROUP#${groupId}`,
  }),
  groupMembersList: (tenantId: string, groupId: string) => ({
    pk: tenant(tenantId),
    skPrefix: `GROUPMEMBER#${groupId}#`,
  }),
  groupsOfUser: (tenantId: string, userId: string) => ({
    index: 'gsi1' as const,
    pk: `${tenant(tenantId)}#USER#${userId}#GROUPS`,
    skPrefix: 'GROUP#',
  }),
} as const;
