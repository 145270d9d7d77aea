import { describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/dynamodb/keys';

describe('mail claim keys', () => {
  it('file a forward under its event and a reminder under its id, as stored claims are', () => {
    // Prepare / Act
    const forward = keys.mailClaim('t1', 'wo1', { kind: 'forward', eventId: 'e1' });
    const reminder = keys.mailClaim('t1', 'wo1', { kind: 'reminder', reminderId: 'r1' });

    // Assess
    expect(forward).toEqual({ pk: 'TENANT#t1#WO#wo1', sk: 'MAIL#forward#e1' });
    expect(reminder).toEqual({ pk: 'TENANT#t1#WO#wo1', sk: 'MAIL#reminder#r1' });
  });
});
