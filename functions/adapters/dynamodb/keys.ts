/**
 * The one key builder. No other module writes a pk, sk or index key.
 * Every partition key starts with the tenant, so no query can cross tenants.
 */
export interface ItemKey {
  pk: string;
  sk: string;
}

export interface IndexKeys {
  gsi1pk?: string;
  gsi1sk?: string;
  gsi2pk?: string;
  gsi2sk?: string;
  gsi3pk?: string;
  gsi3sk?: string;
}

const tenant = (tenantId: string) => `TENANT#${tenantId}`;

/** Master data lives in the tenant's partition, one sort-key prefix per entity type. */
export type MasterDataType =
  | 'USER'
  | 'DEPARTMENT'
  | 'GROUP'
  | 'ACCOUNT'
  | 'CONTACT'
  | 'DEVICE'
  | 'PRODUCT'
  | 'SHARING_RULE'
  | 'WORK_ORDER_TYPE';

export const keys = {
  tenant: (tenantId: string): ItemKey => ({ pk: tenant(tenantId), sk: 'TENANT' }),

  masterData: (tenantId: string, type: MasterDataType, id: string): ItemKey => ({
    pk: tenant(tenantId),
    sk: `${type}#${id}`,
  }),
  /** Query condition listing one type in creation order (ids are ULIDs). */
  masterDataList: (tenantId: string, type: MasterDataType) => ({
    pk: tenant(tenantId),
    skPrefix: `${type}#`,
  }),

  /** A guard item that makes a value unique in the tenant (user email, device serial number, ...). */
  unique: (tenantId: string, scope: string, value: string): ItemKey => ({
    pk: tenant(tenantId),
    sk: `UNIQUE#${scope}#${value}`,
  }),

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

  /** Contacts and devices of an account, in one Query on gsi1. */
  accountChildIndexes: (
    tenantId: string,
    type: 'CONTACT' | 'DEVICE',
    child: { id: string; accountId?: string },
  ): IndexKeys =>
    child.accountId
      ? { gsi1pk: `${tenant(tenantId)}#ACCOUNT#${child.accountId}`, gsi1sk: `${type}#${child.id}` }
      : {},
  contactEmailIndex: (tenantId: string, contact: { id: string; email?: string }): IndexKeys =>
    contact.email
      ? { gsi2pk: `${tenant(tenantId)}#CONTACT_EMAIL#${contact.email}`, gsi2sk: `CONTACT#${contact.id}` }
      : {},
  contactsByEmail: (tenantId: string, email: string) => ({
    index: 'gsi2' as const,
    pk: `${tenant(tenantId)}#CONTACT_EMAIL#${email}`,
    skPrefix: 'CONTACT#',
  }),
  /** Without a type: contacts and devices together. */
  childrenOfAccount: (tenantId: string, accountId: string, type?: 'CONTACT' | 'DEVICE') => ({
    index: 'gsi1' as const,
    pk: `${tenant(tenantId)}#ACCOUNT#${accountId}`,
    skPrefix: type ? `${type}#` : '',
  }),

  /** Sharing rules by target (gsi1: what is shared with me) and by source (gsi2). */
  sharingRuleIndexes: (
    tenantId: string,
    rule: { id: string; source: { kind: string; id: string }; target: { kind: string; id: string } },
  ): IndexKeys => ({
    gsi1pk: `${tenant(tenantId)}#SHARE_TARGET#${rule.target.kind}#${rule.target.id}`,
    gsi1sk: `SHARING_RULE#${rule.id}`,
    gsi2pk: `${tenant(tenantId)}#SHARE_SOURCE#${rule.source.kind}#${rule.source.id}`,
    gsi2sk: `SHARING_RULE#${rule.id}`,
  }),
  sharingRulesTargeting: (tenantId: string, target: { kind: string; id: string }) => ({
    index: 'gsi1' as const,
    pk: `${tenant(tenantId)}#SHARE_TARGET#${target.kind}#${target.id}`,
    skPrefix: 'SHARING_RULE#',
  }),

  /** A work order is its own item collection: the order, its scene entries and its service records. */
  workOrder: (tenantId: string, id: string): ItemKey => ({ pk: `${tenant(tenantId)}#WO#${id}`, sk: 'WO' }),
  workOrderView: (tenantId: string, id: string, view: string): ItemKey => ({
    pk: `${tenant(tenantId)}#WO#${id}`,
    sk: `VIEW#${view}`,
  }),
  /** One scene partition, sorted by created time on gsi2 and by updated time on gsi3. */
  workOrderViewIndexes: (
    tenantId: string,
    view: string,
    workOrder: { id: string; createdAt: string; updatedAt: string },
  ): IndexKeys => ({
    gsi2pk: `${tenant(tenantId)}#WOVIEW#${view}`,
    gsi2sk: `${workOrder.createdAt}#${workOrder.id}`,
    gsi3pk: `${tenant(tenantId)}#WOVIEW#${view}`,
    gsi3sk: `${workOrder.updatedAt}#${workOrder.id}`,
  }),
  workOrderViewQuery: (tenantId: string, view: string, sort: 'created' | 'updated') => ({
    index: sort === 'created' ? ('gsi2' as const) : ('gsi3' as const),
    pk: `${tenant(tenantId)}#WOVIEW#${view}`,
  }),
  workOrderRecord: (tenantId: string, workOrderId: string, at: string, recordId: string): ItemKey => ({
    pk: `${tenant(tenantId)}#WO#${workOrderId}`,
    sk: `RECORD#${at}#${recordId}`,
  }),
  workOrderRecords: (tenantId: string, workOrderId: string) => ({
    pk: `${tenant(tenantId)}#WO#${workOrderId}`,
    skPrefix: 'RECORD#',
  }),
  workOrderItems: (tenantId: string, workOrderId: string) => ({
    pk: `${tenant(tenantId)}#WO#${workOrderId}`,
  }),
  /** Per-tenant sequences (work-order numbers per year). */
  counter: (tenantId: string, name: string): ItemKey => ({ pk: tenant(tenantId), sk: `COUNTER#${name}` }),

  /**
   * Customer lookup, fuzzy: one item per token of an account or contact, in a
   * partition per tenant and first two characters of the token (spreads the
   * load; a query of at least two characters names its partition).
   */
  lookupFuzzy: (tenantId: string, token: string, type: 'ACCOUNT' | 'CONTACT', id: string): ItemKey => ({
    pk: `${tenant(tenantId)}#LOOKUP#${Array.from(token).slice(0, 2).join('')}`,
    sk: `${token}#${type}#${id}`,
  }),
  /** Tokens starting with a prefix of at least two characters. */
  lookupFuzzyPrefix: (tenantId: string, prefix: string) => ({
    pk: `${tenant(tenantId)}#LOOKUP#${Array.from(prefix).slice(0, 2).join('')}`,
    skPrefix: prefix,
  }),
  /** Customer lookup, exact: one item per whole value (name, e-mail, phone), partitioned like the fuzzy ones. */
  lookupExact: (tenantId: string, value: string, type: 'ACCOUNT' | 'CONTACT', id: string): ItemKey => ({
    pk: `${tenant(tenantId)}#LOOKUP_EXACT#${Array.from(value).slice(0, 2).join('')}`,
    sk: `${value}#${type}#${id}`,
  }),
  /** Items of exactly this value: values never contain `#`, so `<value>#` ends the value. */
  lookupExactValue: (tenantId: string, value: string) => ({
    pk: `${tenant(tenantId)}#LOOKUP_EXACT#${Array.from(value).slice(0, 2).join('')}`,
    skPrefix: `${value}#`,
  }),

  /** Work-order actions: reminders and the claims that make each outgoing mail go out once. */
  reminder: (tenantId: string, workOrderId: string, reminderId: string): ItemKey => ({
    pk: `${tenant(tenantId)}#WO#${workOrderId}`,
    sk: `REMINDER#${reminderId}`,
  }),
  workOrderReminders: (tenantId: string, workOrderId: string) => ({
    pk: `${tenant(tenantId)}#WO#${workOrderId}`,
    skPrefix: 'REMINDER#',
  }),
  mailClaim: (tenantId: string, workOrderId: string, key: string): ItemKey => ({
    pk: `${tenant(tenantId)}#WO#${workOrderId}`,
    sk: `MAIL#${key}`,
  }),

  /** Transactional outbox: written with the change, published from the table stream. */
  outboxEvent: (tenantId: string, eventId: string): ItemKey => ({
    pk: `${tenant(tenantId)}#OUTBOX`,
    sk: eventId,
  }),

  /** Once-only claims (an SES messageId, a mail's Message-ID, a plan occurrence), per tenant and scope. */
  claim: (tenantId: string, scope: string, key: string): ItemKey => ({
    pk: `${tenant(tenantId)}#CLAIM#${scope}`,
    sk: key,
  }),

  /** Idempotency-Key records, scoped to the caller. */
  idempotency: (tenantId: string, userId: string, key: string): ItemKey => ({
    pk: `${tenant(tenantId)}#IDEMPOTENCY`,
    sk: `${userId}#${key}`,
  }),
} as const;

/** Attributes that are storage detail and never leave the adapter. */
export const KEY_ATTRIBUTES = [
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'entityType',
] as const;
