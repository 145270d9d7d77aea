import { createDocumentClient } from '../adapters/dynamodb/client';
import { type Config, LOCAL_MAIL_FROM, readConfig, required } from '../shared/config';
import { basePorts, type OptionalPorts, type Ports } from './ports';

/**
 * A deployed function's ports: the table from the environment, the system
 * clock, and the outbound ports the handler brings (built from the same
 * checked configuration), composed by `compose` into what the handler uses.
 * Each handler passes the narrowest composer it needs (master data, work
 * orders, ...), so its bundle carries only those contexts.
 */
export function fromEnvironment<T>(
  compose: (ports: Ports) => T,
  outbound: (config: Config) => OptionalPorts = () => ({}),
  config: Config = readConfig(),
): T {
  const table = {
    client: createDocumentClient(config.DYNAMODB_ENDPOINT, config.AWS_REGION),
    tableName: required(config, 'TABLE_NAME'),
  };
  return compose(basePorts(table, { mailFrom: config.MAIL_FROM ?? LOCAL_MAIL_FROM, ...outbound(config) }));
}
