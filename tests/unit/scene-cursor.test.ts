import { describe, expect, it } from 'vitest';
import {
  decodeMergeCursor,
  encodeMergeCursor,
  type MergeSource,
} from '../../functions/adapters/dynamodb/scene-merge';

const source = (name: string): MergeSource => ({
  name,
  index: 'gsi2',
  pk: `TENANT#t#WOVIEW#${name}`,
  tableKeyOf: (sortValue) => ({ pk: `TENANT#t#WO#${sortValue.split('#')[1]}`, sk: `VIEW#${name}` }),
});
const live = [source('owner#a'), source('owner#b'), source('member#a')];
const filed = [source('below-owner#m')];
const position = { after: '2026-01-01T00:00:00.000Z#WO1', exhausted: ['owner#b'] };

describe('a scene cursor', () => {
  it('resumes where it stopped, with the lists it found exhausted', () => {
    const cursor = encodeMergeCursor('t|scene:all:m|created', live, position);
    expect(decodeMergeCursor(cursor, 't|scene:all:m|created', live)).toEqual(position);
  });

  it('resumes from its position alone when the scene is read from other lists (a re-filing began or ended)', () => {
    const cursor = encodeMergeCursor('t|scene:all:m|created', live, position);
    expect(decodeMergeCursor(cursor, 't|scene:all:m|created', filed)).toEqual({
      after: position.after,
      exhausted: [],
    });
  });

  it('is refused by another scene, viewer, sort or tenant, and when it is not a cursor', () => {
    const cursor = encodeMergeCursor('t|scene:all:m|created', live, position);
    for (const binding of [
      't|scene:urgent:m|created',
      't|scene:all:x|created',
      't|scene:all:m|updated',
      'u|scene:all:m|created',
    ])
      expect(() => decodeMergeCursor(cursor, binding, live), binding).toThrow('Invalid cursor');
    expect(() => decodeMergeCursor('%%', 't|scene:all:m|created', live)).toThrow('Invalid cursor');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(cursor ?? '', 'base64url').toString()), x: [7] }),
    ).toString('base64url');
    expect(() => decodeMergeCursor(forged, 't|scene:all:m|created', live)).toThrow('Invalid cursor');
  });
});
