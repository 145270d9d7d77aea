/**
 * What a viewer's scenes need to know about them, kept where one read finds
 * it: whether a re-filing holds their filed scenes, their main department
 * and groups, and the tenant's sharing rules. Each part is written in the
 * transaction of the change it follows (a user's creation or department, a
 * group's members, a sharing rule), so it is never behind.
 */
export interface SharingGrant {
  id: string;
  source: { kind: 'user' | 'department'; id: string };
  target: { kind: 'user' | 'department' | 'group'; id: string };
  access: 'read-only' | 'read-write';
}

export type SceneAccessChange =
  /** The tenant keeps its sharing rules and its viewers' profiles from its creation on. */
  | { kind: 'tenant' }
  | { kind: 'rule'; rule: SharingGrant }
  | { kind: 'rule-removed'; ruleId: string }
  /** A user created (their profile starts complete: no groups yet) or given another main department. */
  | { kind: 'viewer'; userId: string; department?: string; created: boolean }
  | { kind: 'group'; userId: string; groupId: string; member: boolean };

export interface SceneAccess {
  /** Whether a re-filing holds the viewer's filed scenes (or the tenant's filing predates them). */
  held: boolean;
  /** The viewer's department and groups, and the tenant's rules; absent where not kept complete. */
  profile?: { department?: string; groups: string[] };
  /**
   * Whether anything may be filed under the viewer's reach (they were put in charge of or on the team
   * of a work order, given subordinates, or made a head); unknown for a profile older than the flag.
   */
  reached?: boolean;
  rules?: SharingGrant[];
}
