import type { BlackBoxResult } from './black-box-run.js';
import type { ProfileSummary } from './profile-summary.js';
import { measuredFromMs } from './workload.js';

type Run = Omit<BlackBoxResult, 'recorded'>;

const pct = (share: number) => `${Math.round(share * 1000) / 10} %`;

/** Round trips per relayed message: needs only the workers' counters, so every report has it. */
export function roundTripsLines(b: Run): string[] {
  const r = b.roundTrips;
  return [
    '',
    `Round trips per relayed message (measured window, ${r.relayed} relayed): Redis ${r.redisPerRelayed} (${r.redis} store round trips, the workers' hamdam_redis_command_duration_seconds_count), Bot API ${r.botApiPerRelayed} (${r.botApi} calls, hamdam_sends_total), of which copyMessage ${r.copyMessagePerRelayed}. Counters scraped at the window's start and end; every call counts, the ones made for matching, commands and notices too.`,
  ];
}

/** The "Profile (measured window)" section: where the workers' CPU went. */
export function profileSection(b: Run, p: ProfileSummary, topPackages = 12): string[] {
  const window = b.resources.filter((r) => r.t * 1000 >= measuredFromMs(b.workload));
  const sampledCpu =
    window.length === 0
      ? 0
      : Math.round(
          (window.reduce((a, r) => a + r.workers.reduce((x, w) => x + w.cpu, 0), 0) /
            window.length /
            Math.max(1, b.workers)) *
            10,
        ) / 10;
  const shown = p.packages.slice(0, topPackages);
  const rest = p.packages.slice(topPackages);
  const rc = b.redis;
  const per = (n: number) =>
    b.roundTrips.relayed > 0 ? Math.round((n / b.roundTrips.relayed) * 10) / 10 : 0;
  return [
    '### Profile (measured window)',
    '',
    `CPU profiles of the ${p.profiles} workers (V8's sampler, a tick a millisecond), cut to the measured window: a profile's ticks carry the monotonic clock process.hrtime reads, and the run noted that clock when its first second past the ramp began and when the load stopped (${Math.round(p.windowMs / 100) / 10} s per profile). Busy (not idle): ${p.busyPercentOfCore} % of a core per worker, against ${sampledCpu} % from /proc. The two differ both ways: ticks are wall time, so a worker waiting for a core on a loaded machine counts as busy; /proc adds the kernel's work and the other threads. Garbage collection: **${pct(p.gcShare)}** of busy time.`,
    '',
    '| package | busy ms | share of busy |',
    '|---|---|---|',
    ...shown.map((x) => `| ${x.name} | ${x.ms} | ${pct(x.share)} |`),
    ...(rest.length > 0
      ? [
          `| ${rest.length} others | ${Math.round(rest.reduce((a, x) => a + x.ms, 0))} | ${pct(rest.reduce((a, x) => a + x.share, 0))} |`,
        ]
      : []),
    '',
    "V8 builtins (JSON, Array methods and the like) count under the package that called them. `(program)` is native work outside JavaScript (parsing, compiling, the event loop). `node:` is Node's own JavaScript (http, net, streams, timers), whoever called it.",
    '',
    '| hamdam function (nearest hamdam frame on the stack) | where | busy ms | share | inclusive |',
    '|---|---|---|---|---|',
    ...p.functions.map(
      (f) => `| ${f.name} | ${f.where} | ${f.ms} | ${pct(f.share)} | ${pct(f.inclusiveShare)} |`,
    ),
    '',
    `A tick goes to the hamdam function nearest the top of its stack, with the libraries and the runtime it called (ioredis writing a command that relay sent counts under relay); "inclusive" counts every tick with the function anywhere on the stack. Ticks with no hamdam frame: ${pct(p.outsideHamdamShare)} of busy time, by the library nearest the top of the stack, else what ran: ${p.outsideHamdam
      .slice(0, 8)
      .map((x) => `${x.name} ${pct(x.share)}`)
      .join(
        ', ',
      )}. The resource sampler scrapes every worker's /metrics each second: that is the health route and prom-client.`,
    '',
    `Redis per relayed message (from the paragraph above): ${rc.luaCallsPerRelayed} Lua calls, ${per(rc.commands)} commands in all (each inside a function counted too), ${rc.usPerRelayed} µs of Lua.`,
    ...roundTripsLines(b),
  ];
}
