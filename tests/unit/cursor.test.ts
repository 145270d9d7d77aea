import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../functions/adapters/dynamodb/cursor';
import { ValidationError } from '../../functions/domain/shared/errors';

const expected = { pk: 'TENANT#acme', sk: { prefix: 'ACCOUNT#' } };
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const refused = (cursor: string) => {
  try {
    decodeCursor(cursor, expected);
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('page cursors', () => {
  it('gives back the key it was made from, when used with its own query', () => {
    const key = { pk: 'TENANT#acme', sk: 'ACCOUNT#01J' };
    expect(decodeCursor(encodeCursor(key), expected)).toEqual(key);
    expect(decodeCursor(undefined, expected)).toBeUndefined();
    expect(encodeCursor(undefined)).toBeUndefined();
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor!'],
    ['a JSON string', cursorOf('TENANT#acme')],
    ['a JSON array', cursorOf(['TENANT#acme', 'ACCOUNT#01J'])],
    ['null', cursorOf(null)],
    ['a number where a key value goes', cursorOf({ pk: 'TENANT#acme', sk: 'ACCOUNT#01J', n: 1 })],
    [
      'more attributes than any key has',
      cursorOf({ pk: 'TENANT#acme', sk: 'ACCOUNT#1', a: 'x', b: 'x', c: 'x', d: 'x', e: 'x' }),
    ],
    ['another partition', cursorOf({ pk: 'TENANT#globex', sk: 'ACCOUNT#01J' })],
    ['a sort key outside the prefix', cursorOf({ pk: 'TENANT#acme', sk: 'CONTACT#01J' })],
    ['no sort key', cursorOf({ pk: 'TENANT#acme' })],
  ])('refuses %s with a 400 naming the cursor', (_what, cursor) => {
    const error = refused(cursor);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields).toEqual([
      { field: 'cursor', message: 'Not a cursor of this list' },
    ]);
  });

  it('takes a key of six attributes, as a GSI page key has', () => {
    const key = { pk: 'TENANT#acme', sk: 'ACCOUNT#1', gsi1pk: 'a', gsi1sk: 'b', gsi2pk: 'c', gsi2sk: 'd' };
    expect(decodeCursor(cursorOf(key), expected)).toEqual(key);
  });
});
