import { ValidationError } from '../shared/errors';

/** How far up a chain (superiors, parent departments) we walk before refusing it. */
export const MAX_HIERARCHY_DEPTH = 25;

/**
 * Walks up from `startId` and refuses a chain that loops back to `selfId`,
 * names an unknown node, or is deeper than MAX_HIERARCHY_DEPTH.
 */
export async function assertAcyclic(options: {
  selfId: string;
  startId: string;
  field: string;
  noun: string;
  parentOf: (id: string) => Promise<{ parentId: string | undefined } | undefined>;
}): Promise<void> {
  const invalid = (message: string) => new ValidationError(message, [{ field: `${options.field}`, message }]);
  let currentId: string | undefined = options.startId;
  for (let depth = 0; currentId !== undefined; depth++) {
    if (currentId === options.selfId) throw invalid(`The ${options.noun} chain would loop back to itself`);
    if (depth >= MAX_HIERARCHY_DEPTH)
      throw invalid(`The ${options.noun} chain is deeper than ${MAX_HIERARCHY_DEPTH} levels`);
    const node = await options.parentOf(currentId);
    if (!node) throw invalid(`No ${options.noun} ${currentId}`);
    currentId = node.parentId;
  }
}
