import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { HANDLER_BUNDLE_OPTIONS } from '../../lib/constructs/bundling';

export interface BundleFigure {
  name: string;
  bytes: number;
  importMs: number;
}

/** Bundles each entry exactly as the stack does, then times a cold import of each in a fresh node process. */
export async function measureBundles(entries: Record<string, string>, rounds = 15): Promise<BundleFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'fs-bench-'));
  try {
    const files: Record<string, string> = {};
    for (const [name, entry] of Object.entries(entries)) {
      const outfile = join(dir, `${name}.mjs`);
      await build({ ...HANDLER_BUNDLE_OPTIONS, entryPoints: [entry], outfile });
      files[name] = outfile;
    }
    const samples: Record<string, number[]> = Object.fromEntries(
      Object.keys(files).map((name) => [name, []]),
    );
    // Rounds interleave the bundles, so load on this shared machine falls on all of them alike.
    for (let round = 0; round < rounds; round++) {
      for (const [name, file] of Object.entries(files)) samples[name]?.push(coldImportMs(file));
    }
    return Object.entries(files).map(([name, file]) => ({
      name,
      bytes: statSync(file).size,
      importMs: median(samples[name] ?? []),
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function coldImportMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now() - t);`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      PATH: process.env.PATH,
      TABLE_NAME: 'bench',
      AWS_REGION: 'eu-west-1',
      EVENT_BUS_NAME: 'bench',
      USER_POOL_ID: 'bench',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    encoding: 'utf8',
  });
  return Number(out.trim());
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export const gitRevision = () => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};
