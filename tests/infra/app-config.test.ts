import { describe, expect, it } from 'vitest';
import { ConfigError, readAppConfig } from '../../lib/config/app-config';
import { cdkJsonContext } from './synth';

const settings = {
  'eu-west-1': { mailDomain: 'service.example.eu', sesReceiving: true },
  'us-east-1': { mailDomain: 'service.example.com', sesReceiving: false },
};

const read = (context: Record<string, unknown>, account?: string) =>
  readAppConfig((key) => context[key], account);

describe('readAppConfig', () => {
  it('reads the regions and their settings shipped in cdk.json', () => {
    const config = read(cdkJsonContext());

    expect(config.deployments.map((d) => d.region)).toEqual(['eu-west-1', 'us-east-1']);
    for (const deployment of config.deployments) {
      expect(deployment.settings.mailDomain).toMatch(/\./);
      expect(typeof deployment.settings.sesReceiving).toBe('boolean');
    }
  });

  it('takes the comma-separated string that `-c regions=...` passes, in its order', () => {
    const config = read({ regions: ' us-east-1 , eu-west-1 ', regionSettings: settings }, '123456789012');

    expect(config).toEqual({
      account: '123456789012',
      deployments: [
        { region: 'us-east-1', settings: settings['us-east-1'] },
        { region: 'eu-west-1', settings: settings['eu-west-1'] },
      ],
    });
  });

  it('accepts regionSettings given on the command line as a JSON string', () => {
    const config = read({ regions: 'eu-west-1', regionSettings: JSON.stringify(settings) });

    expect(config.deployments).toEqual([{ region: 'eu-west-1', settings: settings['eu-west-1'] }]);
    expect(config.account).toBeUndefined();
  });

  it('names the region that has no settings', () => {
    const attempt = () => read({ regions: 'eu-west-1,ap-southeast-2', regionSettings: settings });

    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/ap-southeast-2 has no entry in context "regionSettings"/);
  });

  it.each([
    [{ regionSettings: settings }, /"regions" is missing/],
    [{ regions: ' , ', regionSettings: settings }, /names no region/],
    [{ regions: 'eu-west-1,Europe', regionSettings: settings }, /"Europe" is not an AWS region/],
    [{ regions: 'eu-west-1,eu-west-1', regionSettings: settings }, /lists eu-west-1 twice/],
    [{ regions: 'eu-west-1', regionSettings: '{not json' }, /not valid JSON/],
    [{ regions: 'eu-west-1', regionSettings: { 'eu-west-1': { sesReceiving: true } } }, /mailDomain/],
    [
      { regions: 'eu-west-1', regionSettings: { 'eu-west-1': { mailDomain: 'a.eu', sesReceiving: 'yes' } } },
      /sesReceiving must be true or false/,
    ],
    [
      {
        regions: 'eu-west-1',
        regionSettings: { 'eu-west-1': { mailDomain: 'a.eu', sesReceiving: true, sesRecieving: true } },
      },
      /unknown settings: sesRecieving/,
    ],
  ])('rejects %j', (context, message) => {
    expect(() => read(context)).toThrow(message);
  });
});
