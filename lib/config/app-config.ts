/**
 * Deployment configuration: which regions get a stack pair, and the settings
 * each region needs. Read from CDK context (`cdk.json`, or `-c key=value` on the
 * command line) and validated here, so a typo fails the synth with a message
 * naming the culprit instead of producing a half-configured region.
 */

export interface RegionSettings {
  /** Domain of the service mailboxes in this region, e.g. `service.example.eu`. */
  readonly mailDomain: string;
  /** SES inbound is available only in some regions; false keeps the mail flow off there. */
  readonly sesReceiving: boolean;
}

export interface RegionDeployment {
  readonly region: string;
  readonly settings: RegionSettings;
}

export interface AppConfig {
  /** Undefined synthesizes account-agnostic stacks (the CLI fills in the account at deploy time). */
  readonly account: string | undefined;
  readonly deployments: readonly RegionDeployment[];
}

export const CONTEXT_KEYS = { regions: 'regions', regionSettings: 'regionSettings' } as const;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export type ContextReader = (key: string) => unknown;

const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/;
const DOMAIN_PATTERN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export function readAppConfig(context: ContextReader, account: string | undefined): AppConfig {
  const regions = parseRegions(context(CONTEXT_KEYS.regions));
  const allSettings = parseSettingsMap(context(CONTEXT_KEYS.regionSettings));
  const deployments = regions.map((region) => {
    const raw = allSettings[region];
    if (raw === undefined) {
      throw new ConfigError(
        `Region ${region} has no entry in context "${CONTEXT_KEYS.regionSettings}"; ` +
          `add "${region}": { "mailDomain": "...", "sesReceiving": true|false } to cdk.json`,
      );
    }
    return { region, settings: parseRegionSettings(region, raw) };
  });
  return { account: account === '' ? undefined : account, deployments };
}

/** Accepts the comma-separated string `-c regions=a,b` produces, or a JSON array from cdk.json. */
function parseRegions(value: unknown): string[] {
  let items: unknown[];
  if (typeof value === 'string') items = value.split(',');
  else if (Array.isArray(value)) items = value;
  else {
    throw new ConfigError(
      `Context "${CONTEXT_KEYS.regions}" is missing: set it in cdk.json or pass -c ${CONTEXT_KEYS.regions}=eu-west-1,us-east-1`,
    );
  }
  const regions = items
    .map((item) => (typeof item === 'string' ? item.trim() : item))
    .filter((r) => r !== '');
  if (regions.length === 0) throw new ConfigError(`Context "${CONTEXT_KEYS.regions}" names no region`);
  const seen = new Set<string>();
  for (const region of regions) {
    if (typeof region !== 'string' || !REGION_PATTERN.test(region)) {
      throw new ConfigError(
        `Context "${CONTEXT_KEYS.regions}": ${JSON.stringify(region)} is not an AWS region`,
      );
    }
    if (seen.has(region)) throw new ConfigError(`Context "${CONTEXT_KEYS.regions}" lists ${region} twice`);
    seen.add(region);
  }
  return regions as string[];
}

/** `-c regionSettings='{...}'` arrives as a string; cdk.json gives an object. */
function parseSettingsMap(value: unknown): Record<string, unknown> {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new ConfigError(`Context "${CONTEXT_KEYS.regionSettings}" is not valid JSON`);
    }
  }
  if (!isRecord(parsed)) {
    throw new ConfigError(
      `Context "${CONTEXT_KEYS.regionSettings}" must map each region to { mailDomain, sesReceiving }`,
    );
  }
  return parsed;
}

function parseRegionSettings(region: string, raw: unknown): RegionSettings {
  const where = `${CONTEXT_KEYS.regionSettings}.${region}`;
  if (!isRecord(raw)) throw new ConfigError(`${where} must be an object with mailDomain and sesReceiving`);
  const { mailDomain, sesReceiving } = raw;
  if (typeof mailDomain !== 'string' || !DOMAIN_PATTERN.test(mailDomain)) {
    throw new ConfigError(`${where}.mailDomain must be a domain name such as service.example.com`);
  }
  if (typeof sesReceiving !== 'boolean') throw new ConfigError(`${where}.sesReceiving must be true or false`);
  const unknown = Object.keys(raw).filter((key) => key !== 'mailDomain' && key !== 'sesReceiving');
  if (unknown.length > 0) throw new ConfigError(`${where} has unknown settings: ${unknown.join(', ')}`);
  return { mailDomain: mailDomain.toLowerCase(), sesReceiving };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
