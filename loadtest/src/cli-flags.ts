import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { SMOKE_WORKLOAD, STANDARD_WORKLOAD, type Workload } from './workload.js';

export interface CliFlags {
  workload: Workload;
  workers: number;
  maxConnections: number;
  ceiling: boolean;
  directSeconds: number;
  capacitySearch: boolean;
  steps: number[];
  stepSeconds: number;
  /** Users a second in the capacity search's steady form. */
  arrivalRate: number;
  /** Seconds from the last arrival to the window, in the steady form. */
  settleSeconds: number;
  skipRun: boolean;
  cpuProf: boolean;
  /** CPU profiles, summarised over the measured window in the report (implies cpuProf). */
  profile: boolean;
  seed: number;
  out: string;
  /** The committed summary a row is appended to. */
  summary: string;
  /** How nginx reaches the workers (and the empty handler): ports or Unix sockets. */
  upstream: 'tcp' | 'unix';
}

export const USAGE = `usage: npm run loadtest -- [flags]
  --users N            concurrent users (10000)
  --duration S         measured seconds after the ramp (300)
  --ramp S             ramp-up seconds (60)
  --workers N          worker processes (one per core)
  --think-ms MS        mean think time between a chatting user's messages (8000)
  --media-share F      share of messages sent as photos (0.05)
  --chat-ms MS         mean chat length (120000)
  --stop-share F       share of chats ended with Stop rather than Next (0.5)
  --max-connections N  webhook max_connections, also the direct driver's concurrency (100)
  --upstream tcp|unix  nginx to the workers over their ports or their Unix sockets (tcp)
  --direct-seconds S   length of each direct-driver run, bot and ceiling (30)
  --no-ceiling         skip the direct-driver runs against the bot and the empty handler
  --capacity-search    step users up in shorter runs until relay p99 reaches 250 ms, in two
                       forms: every user arriving within 30 s (burst), then arriving at
                       --arrival-rate and measured once they are chatting (steady)
  --steps LIST         user counts of the search (5000,10000,15000,20000,25000)
  --step-duration S    measured seconds per step (60)
  --arrival-rate N     the search's steady form: users arriving per second (100)
  --settle S           the steady form: seconds from the last arrival to the window (20)
  --skip-run           with --capacity-search: only the search
  --cpu-prof           write CPU profiles of the workers and the emulator next to the report
  --profile            --cpu-prof, and the report's "Profile (measured window)" section: the
                       workers' busy time by package and by hamdam function, GC share
  --smoke              a few hundred users for well under a minute
  --seed N             seed of the workload's randomness (1)
  --out DIR            where full reports go (loadtest/reports, not in git)
  --summary FILE       the committed one-line-per-run summary (loadtest/results/SUMMARY.md)`;

export function parseFlags(argv: readonly string[]): CliFlags {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      users: { type: 'string' },
      duration: { type: 'string' },
      ramp: { type: 'string' },
      workers: { type: 'string' },
      'think-ms': { type: 'string' },
      'media-share': { type: 'string' },
      'chat-ms': { type: 'string' },
      'stop-share': { type: 'string' },
      'max-connections': { type: 'string' },
      'direct-seconds': { type: 'string' },
      'no-ceiling': { type: 'boolean' },
      'capacity-search': { type: 'boolean' },
      steps: { type: 'string' },
      'step-duration': { type: 'string' },
      'arrival-rate': { type: 'string' },
      settle: { type: 'string' },
      'skip-run': { type: 'boolean' },
      'cpu-prof': { type: 'boolean' },
      profile: { type: 'boolean' },
      smoke: { type: 'boolean' },
      seed: { type: 'string' },
      out: { type: 'string' },
      summary: { type: 'string' },
      upstream: { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) throw new Error(USAGE);
  const num = (
    name: string,
    raw: string | undefined,
    fallback: number,
    min: number,
    max: number,
  ) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new Error(`--${name} must be a number in ${min}..${max}\n${USAGE}`);
    return n;
  };
  const base = values.smoke ? SMOKE_WORKLOAD : STANDARD_WORKLOAD;
  const workload: Workload = {
    ...base,
    users: Math.round(num('users', values.users, base.users, 2, 200_000)),
    durationMs: num('duration', values.duration, base.durationMs / 1000, 1, 86_400) * 1000,
    rampMs: num('ramp', values.ramp, base.rampMs / 1000, 0, 3_600) * 1000,
    thinkMs: num('think-ms', values['think-ms'], base.thinkMs, 10, 3_600_000),
    mediaShare: num('media-share', values['media-share'], base.mediaShare, 0, 1),
    chatMs: num('chat-ms', values['chat-ms'], base.chatMs, 100, 86_400_000),
    stopShare: num('stop-share', values['stop-share'], base.stopShare, 0, 1),
  };
  const upstream = values.upstream ?? 'tcp';
  if (upstream !== 'tcp' && upstream !== 'unix') {
    throw new Error(`--upstream must be tcp or unix\n${USAGE}`);
  }
  const steps = (values.steps ?? '5000,10000,15000,20000,25000').split(',').map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 2) throw new Error(`--steps must list user counts\n${USAGE}`);
    return n;
  });
  return {
    workload,
    workers: Math.round(
      num('workers', values.workers, values.smoke ? 2 : availableParallelism(), 1, 64),
    ),
    maxConnections: Math.round(num('max-connections', values['max-connections'], 100, 1, 100)),
    ceiling: !values['no-ceiling'],
    directSeconds: num('direct-seconds', values['direct-seconds'], values.smoke ? 5 : 30, 1, 3_600),
    capacitySearch: values['capacity-search'] === true,
    steps,
    stepSeconds: num('step-duration', values['step-duration'], 60, 5, 3_600),
    arrivalRate: num('arrival-rate', values['arrival-rate'], 100, 1, 10_000),
    settleSeconds: num('settle', values.settle, 20, 0, 3_600),
    skipRun: values['skip-run'] === true,
    cpuProf: values['cpu-prof'] === true || values.profile === true,
    profile: values.profile === true,
    seed: Math.round(num('seed', values.seed, 1, 0, 2 ** 31)),
    out: values.out ?? 'loadtest/reports',
    summary: values.summary ?? 'loadtest/results/SUMMARY.md',
    upstream,
  };
}
