import { LOCAL_DEFAULTS } from './paths';

/**
 * `npm run plans:tick -- --now 2027-03-01T00:00:00Z`: moves the clock of the
 * running `npm start` forward and fires every schedule due by then (plans,
 * reminders, expiries), as time passing would; prints what fired.
 */
async function main() {
  const index = process.argv.indexOf('--now');
  const now = index >= 0 ? process.argv[index + 1] : undefined;
  if (!now || Number.isNaN(Date.parse(now))) {
    console.error('Usage: npm run plans:tick -- --now <ISO time, e.g. 2027-03-01T00:00:00Z>');
    process.exit(2);
  }
  const url = `http://127.0.0.1:${LOCAL_DEFAULTS.apiPort}/local/clock`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ now }),
  }).catch((error: unknown) => {
    console.error(`No local runtime at ${url} (is npm start running?): ${String(error)}`);
    process.exit(1);
  });
  const body = (await response.json()) as { now?: string; fired?: string[]; detail?: string };
  if (!response.ok) {
    console.error(body.detail ?? `HTTP ${response.status}`);
    process.exit(1);
  }
  console.log(`clock at ${body.now}; fired ${body.fired?.length ?? 0} schedules`);
  for (const name of body.fired ?? []) console.log(`  ${name}`);
}

void main();
