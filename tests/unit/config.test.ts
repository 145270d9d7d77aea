import { describe, expect, it } from 'vitest';
import { readConfig, required } from '../../functions/shared/config';

describe('the configuration from the environment', () => {
  it('keeps the settings it knows, ignores the rest and treats empty values as unset', () => {
    const config = readConfig({ TABLE_NAME: 'fs-table', MAIL_FROM: '', PATH: '/usr/bin' });
    expect(config).toEqual({ TABLE_NAME: 'fs-table' });
  });

  it('fails naming the variable whose value is malformed', () => {
    expect(() => readConfig({ DYNAMODB_ENDPOINT: 'not a url' })).toThrow(/DYNAMODB_ENDPOINT/);
    expect(() => readConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('names a setting a function needs but was not given', () => {
    expect(() => required(readConfig({}), 'EVENT_BUS_NAME')).toThrow('EVENT_BUS_NAME is not set');
    expect(required(readConfig({ EVENT_BUS_NAME: 'bus' }), 'EVENT_BUS_NAME')).toBe('bus');
  });
});
