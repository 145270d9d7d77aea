import type { Principal } from './principal';

/**
 * Who acts without signing in. Each acts inside one tenant, is named by what
 * it is (the mailbox's address, the plan's id, the workflow execution, the
 * integration client's id) and may do only what `SYSTEM_ACTOR_PERMISSIONS`
 * lists for its kind (docs/permissions.md, "System actors").
 */
export const SYSTEM_ACTOR_KINDS = ['mailbox', 'service-plan', 'workflow', 'integration-client'] as const;
export type SystemActorKind = (typeof SYSTEM_ACTOR_KINDS)[number];

export interface SystemActor {
  tenantId: string;
  system: SystemActorKind;
  /** Which one of its kind, e.g. `service@acme.example` for a mailbox. */
  id: string;
}

/** Whoever a use case runs for: a signed-in user (a `Principal`) or a system actor. */
export type Actor = Principal | SystemActor;

export const isSystemActor = (actor: Actor): actor is SystemActor => 'system' in actor;

export const isUser = (actor: Actor): actor is Principal => !isSystemActor(actor);

/**
 * What timelines, events and `createdBy` record as the one who acted: the
 * user's id, or the system actor as `<kind>:<id>` (`mailbox:service@acme.example`).
 * A user id never contains a colon, so the two cannot be confused.
 */
export const actorIdOf = (actor: Actor): string =>
  isSystemActor(actor) ? `${actor.system}:${actor.id}` : actor.userId;
