// Reading what `node --cpu-prof` left: the profiles of given processes, the repository's
// workspaces, the source maps of its build, and the profiles' clock.
import { readFileSync, readdirSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CpuProfile, Locate, Workspace } from './profile-summary.js';

/** The repository's workspaces, from its package.json and theirs. */
export function readWorkspaces(root: string): Workspace[] {
  const list = (
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      workspaces: string[];
    }
  ).workspaces;
  return list.map((dir) => ({
    dir,
    name: (JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { name: string })
      .name,
  }));
}

/**
 * The profiles in `dir` of the given processes: node names its files
 * `CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile`.
 */
export function readProfiles(dir: string, pids: readonly number[]): CpuProfile[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.cpuprofile') && pids.includes(Number(n.split('.')[3])))
    .map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')) as CpuProfile);
}

/** Places a build's function in its TypeScript source through the source map beside it. */
export function sourceLocator(root: string): Locate {
  const maps = new Map<string, SourceMap | null>();
  return (file, line, column) => {
    let map = maps.get(file);
    if (map === undefined) {
      try {
        const payload = JSON.parse(
          readFileSync(join(root, `${file}.map`), 'utf8'),
        ) as SourceMapPayload;
        map = new SourceMap(payload);
      } catch {
        map = null;
      }
      maps.set(file, map);
    }
    const entry = map?.findEntry(line, column);
    if (!entry || !('originalSource' in entry)) return null;
    const source = entry.originalSource.startsWith('file://')
      ? relative(root, fileURLToPath(entry.originalSource))
      : relative(root, join(root, dirname(file), entry.originalSource));
    return `${source}:${entry.originalLine + 1}`;
  };
}

/** Now on the clock of profiles' timestamps, µs, for an instant given as performance.now(). */
export function monotonicUs(at: number = performance.now()): number {
  return Number(process.hrtime.bigint() / 1000n) - (performance.now() - at) * 1000;
}
