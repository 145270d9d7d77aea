import { ValidationError } from '../../domain/shared/errors';

type Key = Record<string, string>;

/** Opaque page cursor: the LastEvaluatedKey, base64url-encoded. */
export function encodeCursor(lastEvaluatedKey: Record<string, unknown> | undefined): string | undefined {
  if (!lastEvaluatedKey) return undefined;
  return Buffer.from(JSON.stringify(lastEvaluatedKey)).toString('base64url');
}

/**
 * Decodes a cursor and checks it belongs to the query it is used with (same
 * partition key, sort key inside the queried prefix): a cursor from another
 * list, tenant or a hand-made one is a 400, never a wider read.
 */
export function decodeCursor(
  cursor: string | undefined,
  expected: Record<string, string | { prefix: string }>,
): Key | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () =>
    new ValidationError('Invalid cursor', [{ field: 'cursor', message: 'Not a cursor of this list' }]);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) throw invalid();
  const entries = Object.entries(decoded);
  if (entries.length > 6 || entries.some(([, v]) => typeof v !== 'string')) throw invalid();
  const key = decoded as Key;
  for (const [name, value] of Object.entries(expected)) {
    const actual = key[name];
    const matches = typeof value === 'string' ? actual === value : actual?.startsWith(value.prefix);
    if (!matches) throw invalid();
  }
  return key;
}
