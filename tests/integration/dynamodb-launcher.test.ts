import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from '../../local/dynamodb/launcher';

let taken: Server;
let port: number;

beforeAll(async () => {
  // Stands for the DynamoDB Local of another `npm start` already holding the port.
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  port = (taken.address() as { port: number }).port;
});
afterAll(async () => new Promise<void>((resolve) => taken.close(() => resolve())));

describe('DynamoDB Local launcher', () => {
  it('refuses a port that is taken, naming it and DYNAMODB_PORT, instead of using whatever answers there', async () => {
    await expect(startDynamoDbLocal({ port })).rejects.toThrow(
      new RegExp(`port ${port} is (already )?in use.*DYNAMODB_PORT`, 's'),
    );
  });
});
