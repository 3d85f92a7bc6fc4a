import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) this module reads. */
export interface CpuProfile {
  nodes: readonly {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number };
    children?: readonly number[];
  }[];
  /** µs on the monotonic clock `process.hrtime` reads too, so other processes can name a window. */
  startTime: number;
  endTime: number;
  /** The node sampled, one per tick, and the µs since the previous tick (the first: since start). */
  samples: readonly number[];
  timeDeltas: readonly number[];
}

/** A workspace of the repository: its package name and its folder relative to the root. */
export interface Workspace {
  name: string;
  dir: string;
}

export interface Share {
  name: string;
  ms: number;
  /** Of the busy time, 0..1. */
  share: number;
}

export interface ProfileSummary {
  profiles: number;
  /** The stretch of the profiles read, per profile, ms: the window where it was given. */
  windowMs: number;
  /** Time not idle, summed over profiles, ms. */
  busyMs: number;
  /** Busy time per profile and second of the window: % of a core, mean over profiles. */
  busyPercentOfCore: number;
  /** Garbage collection's share of busy time, 0..1. */
  gcShare: number;
  /** Busy time by package of the function running (V8 builtins count under their caller's). */
  packages: Share[];
  /**
   * Busy time by the hamdam function nearest the top of the stack (a library, the runtime or a
   * builtin it called counts under it), the largest first. `where` is file:line of the build.
   */
  functions: (Share & { where: string; inclusiveShare: number })[];
  /** Busy time with no hamdam frame on the stack (GC, I/O callbacks, the framework's own). */
  outsideHamdamShare: number;
  /** That time by the library nearest the top of the stack, else by the package running. */
  outsideHamdam: Share[];
}

const IDLE = '(idle)';
const GC = '(garbage collector)';
const PROGRAM = '(program)';
const ROOT = '(root)';

/** A hamdam build's file, 0-based line and column → where in the source, or null. */
export type Locate = (file: string, line: number, column: number) => string | null;

/**
 * Reads CPU profiles: busy time by package and by hamdam function, and GC's share. `window`
 * (monotonic µs) keeps the samples taken inside it; each sample weighs the time to the next.
 * A hamdam function is placed by `locate` (see sourceLocator), else by its built file and line.
 */
export function summariseProfiles(
  profiles: readonly CpuProfile[],
  window: { fromUs: number; toUs: number } | null,
  root: string,
  workspaces: readonly Workspace[],
  { top = 15, locate = () => null }: { top?: number; locate?: Locate } = {},
): ProfileSummary {
  const packages = new Map<string, number>();
  const own = new Map<string, { ms: number; where: string; name: string }>();
  const inclusive = new Map<string, number>();
  let busyUs = 0;
  let windowUs = 0;
  let outsideUs = 0;
  const outside = new Map<string, number>();
  const packageOf = packageClassifier(root, workspaces);
  for (const profile of profiles) {
    const from = Math.max(window?.fromUs ?? -Infinity, profile.startTime);
    const to = Math.min(window?.toUs ?? Infinity, profile.endTime);
    if (to <= from) continue;
    windowUs += to - from;
    const nodes = indexNodes(profile, packageOf, locate);
    // Timestamps first: V8 may record a tick slightly out of order, so weights are clamped.
    const times: number[] = [];
    let t = profile.startTime;
    for (const d of profile.timeDeltas) times.push((t += d));
    const weights = new Map<number, number>();
    for (let i = 0; i < profile.samples.length; i++) {
      const at = times[i]!;
      if (at < from || at >= to) continue;
      const next = Math.min(times[i + 1] ?? profile.endTime, to);
      const id = profile.samples[i]!;
      weights.set(id, (weights.get(id) ?? 0) + Math.max(0, next - at));
    }
    for (const [id, us] of weights) {
      const node = nodes.get(id);
      if (!node || node.idle) continue;
      busyUs += us;
      packages.set(node.pkg, (packages.get(node.pkg) ?? 0) + us);
      if (node.hamdam === null) {
        outsideUs += us;
        const key = node.library ?? node.pkg;
        outside.set(key, (outside.get(key) ?? 0) + us);
      } else {
        const f = own.get(node.hamdam.key) ?? { ...node.hamdam, ms: 0 };
        f.ms += us;
        own.set(node.hamdam.key, f);
      }
      for (const key of node.onStack) inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  const share = (us: number) => (busyUs === 0 ? 0 : round(us / busyUs, 4));
  const ms = (us: number) => round(us / 1000, 1);
  return {
    profiles: profiles.length,
    windowMs: profiles.length === 0 ? 0 : ms(windowUs / profiles.length),
    busyMs: ms(busyUs),
    busyPercentOfCore: windowUs === 0 ? 0 : round((busyUs / windowUs) * 100, 1),
    gcShare: share(packages.get(GC) ?? 0),
    packages: [...packages]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({ name, ms: ms(us), share: share(us) })),
    functions: [...own]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, top)
      .map(([key, f]) => ({
        name: f.name,
        where: f.where,
        ms: ms(f.ms),
        share: share(f.ms),
        inclusiveShare: share(inclusive.get(key) ?? 0),
      })),
    outsideHamdamShare: share(outsideUs),
    outsideHamdam: [...outside]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({ name, ms: ms(us), share: share(us) })),
  };
}

interface NodeFacts {
  idle: boolean;
  /** The package charged with this node's own time. */
  pkg: string;
  /** The nearest hamdam frame, this node's or an ancestor's. */
  hamdam: { key: string; name: string; where: string } | null;
  /** The nearest frame of a package under node_modules, this node's or an ancestor's. */
  library: string | null;
  /** Every distinct hamdam function from the root to this node. */
  onStack: readonly string[];
}

/** What each node of a profile's call tree is charged to, walking from the root down. */
function indexNodes(
  profile: CpuProfile,
  packageOf: (url: string) => Script,
  locate: Locate,
): Map<number, NodeFacts> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const children = new Set(profile.nodes.flatMap((n) => n.children ?? []));
  const out = new Map<number, NodeFacts>();
  const stack: { id: number; parent: NodeFacts | null }[] = profile.nodes
    .filter((n) => !children.has(n.id))
    .map((n) => ({ id: n.id, parent: null }));
  for (let item = stack.pop(); item; item = stack.pop()) {
    const node = byId.get(item.id);
    if (!node || out.has(item.id)) continue;
    const { functionName, url, lineNumber, columnNumber = 0 } = node.callFrame;
    const parent = item.parent;
    let facts: NodeFacts;
    if (url === '') {
      // (garbage collector), (program), (idle) stand alone; a builtin is its caller's work.
      const special = [GC, PROGRAM, IDLE, ROOT].includes(functionName);
      facts = {
        idle: functionName === IDLE,
        pkg: special ? functionName : (parent?.pkg ?? '(native)'),
        hamdam: special ? null : (parent?.hamdam ?? null),
        library: special ? null : (parent?.library ?? null),
        onStack: special ? [] : (parent?.onStack ?? []),
      };
      if (facts.pkg === ROOT) facts.pkg = '(native)';
    } else {
      const { pkg, hamdam, library } = packageOf(url);
      const name = functionName === '' ? '(anonymous)' : functionName;
      const where =
        hamdam === null
          ? ''
          : (locate(hamdam, lineNumber, columnNumber) ?? `${hamdam}:${lineNumber + 1}`);
      const key = `${name} ${where}`;
      const above = parent?.onStack ?? [];
      facts = {
        idle: false,
        pkg,
        hamdam: hamdam === null ? (parent?.hamdam ?? null) : { key, name, where },
        library: library ? pkg : (parent?.library ?? null),
        onStack: hamdam === null || above.includes(key) ? above : [...above, key],
      };
    }
    out.set(item.id, facts);
    for (const child of node.children ?? []) stack.push({ id: child, parent: facts });
  }
  return out;
}

/** Where a script comes from: `hamdam` is its file in the repository, for a workspace's. */
export interface Script {
  pkg: string;
  hamdam: string | null;
  /** Under node_modules. */
  library: boolean;
}

/**
 * A script's package: `node:` for Node's own, the package under the last node_modules, a
 * workspace by its name (then `hamdam` is the file relative to the root), or `(other)`.
 */
export function packageClassifier(
  root: string,
  workspaces: readonly Workspace[],
): (url: string) => Script {
  const cache = new Map<string, Script>();
  return (url) => {
    const hit = cache.get(url);
    if (hit) return hit;
    let result: Script = { pkg: '(other)', hamdam: null, library: false };
    if (url.startsWith('node:')) result = { pkg: 'node:', hamdam: null, library: false };
    else {
      const path = url.startsWith('file://') ? fileURLToPath(url) : url;
      const at = path.lastIndexOf('/node_modules/');
      if (at >= 0) {
        const parts = path.slice(at + '/node_modules/'.length).split('/');
        const pkg = parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? '');
        result = { pkg, hamdam: null, library: true };
      } else {
        const rel = relative(root, path);
        const ws = workspaces.find((w) => rel.startsWith(`${w.dir}/`));
        if (ws) result = { pkg: ws.name, hamdam: rel, library: false };
      }
    }
    cache.set(url, result);
    return result;
  };
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
