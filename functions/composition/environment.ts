import { createDocumentClient } from '../adapters/dynamodb/client';
import { type Config, LOCAL_MAIL_FROM, readConfig, required } from '../shared/config';
import { type Application, compose } from './application';
import { basePorts, type Ports } from './ports';

/**
 * A deployed function's application: the table from the environment, the
 * system clock, and the outbound ports the handler brings (built from the
 * same checked configuration).
 */
export function applicationFromEnvironment(
  outbound: (config: Config) => Partial<Pick<Ports, 'mail' | 'reminders'>> = () => ({}),
  config: Config = readConfig(),
): Application {
  const table = {
    client: createDocumentClient(config.DYNAMODB_ENDPOINT, config.AWS_REGION),
    tableName: required(config, 'TABLE_NAME'),
  };
  return compose(basePorts(table, { mailFrom: config.MAIL_FROM ?? LOCAL_MAIL_FROM, ...outbound(config) }));
}
