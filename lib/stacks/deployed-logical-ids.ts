import { type CfnElement, Names, type Stack } from 'aws-cdk-lib';
import { Construct, type IConstruct, RootConstruct } from 'constructs';

/** A construct path in a stack (ids joined by "/") that moved, and the path it was deployed under. */
export interface MovedPath {
  readonly now: string;
  readonly deployedAs: string;
}

/**
 * CloudFormation logical IDs are derived from construct paths, so moving a
 * resource into a construct renames it, and CloudFormation replaces what it
 * renames: a new dead-letter queue without the old one's messages, a new
 * schedule group without its schedules. A stack that lists its moves here
 * keeps giving the moved resources (and everything below them) the logical
 * IDs they were deployed with.
 */
export class DeployedLogicalIds {
  private readonly moves: readonly { now: string[]; deployedAs: string[] }[];

  constructor(moves: readonly MovedPath[]) {
    this.moves = moves.map((move) => ({ now: move.now.split('/'), deployedAs: move.deployedAs.split('/') }));
  }

  /** The logical ID `element` was deployed with, or undefined when it has not moved. */
  of(element: CfnElement): string | undefined {
    const scopes = element.node.scopes;
    const path = scopes.slice(scopes.indexOf(element.stack) + 1).map((scope) => scope.node.id);
    const move = this.moves.find(({ now }) => now.every((id, index) => path[index] === id));
    return move && logicalIdOf([...move.deployedAs, ...path.slice(move.now.length)]);
  }

  /** Moves whose path no longer exists in the stack: a renamed construct would get new logical IDs. */
  missingIn(stack: Stack): string[] {
    return this.moves
      .filter(
        ({ now }) =>
          now.reduce<IConstruct | undefined>((at, id) => at?.node.tryFindChild(id), stack) === undefined,
      )
      .map(({ now }) => now.join('/'));
  }
}

/**
 * Names.uniqueId derives an id from the path below the root exactly as a stack
 * derives a logical ID from the path below the stack, so the same path under a
 * detached root gives the ID that path had in the stack.
 */
function logicalIdOf(path: readonly string[]): string {
  const leaf = path.reduce<Construct>((scope, id) => new Construct(scope, id), new RootConstruct());
  return Names.uniqueId(leaf);
}
