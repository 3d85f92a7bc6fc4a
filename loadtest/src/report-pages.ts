import { HISTOGRAM_BOUNDS, type BlackBoxResult, type SecondSample } from './black-box-run.js';
import { profileSection, roundTripsLines } from './profile-section.js';
import type { ResourceSample } from './resource-sampler.js';
import { summaryRow, type RunReport } from './run-report.js';
import { barChart, lineChart } from './svg-charts.js';
import { measuredFromMs } from './workload.js';

const mark = (met: boolean | null) => (met === null ? '–' : met ? '✅ met' : '❌ missed');

/** The figures as Markdown tables: the page a reader opens first. */
export function renderMarkdown(report: RunReport, htmlName: string | null): string {
  const out: string[] = [`# hamdam load test — ${report.startedAt}`, ''];
  const m = report.machine;
  out.push(
    `Command: \`${report.command}\``,
    '',
    `Machine: ${m.cpus} CPUs, ${m.memoryGb} GiB, Node ${m.node}, load average at start ${m.loadAverage.join(' / ')}. Everything (load generator, emulator, nginx, workers, Redis, Postgres, each its own process) runs on this machine.`,
    '',
  );
  if (htmlName) out.push(`Charts: [${htmlName}](${htmlName})`, '');
  out.push('## Targets', '', '| figure | target | measured | |', '|---|---|---|---|');
  for (const t of report.targets)
    out.push(`| ${t.name} | ${t.target} | ${t.measured} | ${mark(t.met)} |`);
  const b = report.blackBox;
  if (b) {
    const w = b.workload;
    const l = b.ledger;
    out.push('', '## Black-box run (emulator → nginx → workers → Redis, Postgres)', '');
    out.push(
      `${w.users} users, ramp ${w.rampMs / 1000} s, measured ${b.measuredSeconds} s, ${b.workers} workers; think ${w.thinkMs} ms, media ${w.mediaShare * 100} %, chat ${w.chatMs / 1000} s, stop share ${w.stopShare * 100} %.`,
      '',
    );
    out.push('| throughput (measured window) | per second |', '|---|---|');
    out.push(
      `| updates accepted (2xx at the emulator) | ${b.throughput.updatesPerSec} |`,
      `| updates injected | ${b.throughput.updatesPostedPerSec} |`,
      `| bot sends seen at the emulator | ${b.throughput.sendsPerSec} |`,
    );
    out.push(
      '',
      '| latency, ms | n | p50 | p95 | p99 | max | mean |',
      '|---|---|---|---|---|---|---|',
    );
    out.push(
      summaryRow('webhook (posted → 2xx)', b.webhook),
      ...(
        [
          [
            'webhook inside the workers (their histogram, whole run incl. ramp)',
            b.counters.inWorker,
          ],
          ['one Bot API call from the dispatcher (whole run)', b.counters.sendCall],
        ] as const
      ).map(
        ([name, h]) =>
          `| ${name} | ${h.count} | ${h.p50Ms} | ${h.p95Ms} | ${h.p99Ms} | – | ${h.meanMs} |`,
      ),
      summaryRow('relay (injected → copy at partner)', b.relay),
      summaryRow('match wait, partner queued (Find → matched)', b.matchDirect),
      summaryRow('match wait, via the queue', b.matchQueued),
    );
    out.push(
      '',
      `Webhook max is over the whole run. Percentiles are bucket upper bounds (webhook: the emulator's buckets; others: 1 % buckets).`,
      '',
    );
    out.push(
      '### Ledger',
      '',
      '| sent | expected | delivered | refused after partner left | dropped at chat end (counted by the bot) | lost | duplicated | misrouted | late |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    out.push(
      `| ${l.sent} | ${l.expected} | ${l.delivered} | ${l.refused} | ${l.dropped} | **${l.lost}** | **${l.duplicated}** | **${l.misrouted}** | **${l.late}** |`,
      '',
    );
    const violations = Object.entries(l.ruleViolations);
    out.push(
      violations.length === 0
        ? 'Rule violations: none.'
        : `Rule violations: ${violations.map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    );
    if (l.examples.length > 0)
      out.push('', 'First problems:', '', ...l.examples.map((e) => `- ${e}`));
    const errors = Object.entries(b.errors);
    out.push(
      '',
      errors.length === 0
        ? 'Unexpected replies seen by users: none.'
        : `Unexpected replies seen by users: ${errors.map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    );
    out.push(
      '',
      "### Errors by kind (workers' own counters, whole run)",
      '',
      '| counter | labels | n |',
      '|---|---|---|',
    );
    // Series that never counted anything (the workers create every labelled series at zero)
    // are left out.
    for (const [k, v] of Object.entries(b.counters.updates))
      if (v > 0) out.push(`| hamdam_updates_total | ${k.replace(/"/g, '')} | ${v} |`);
    for (const [k, v] of Object.entries(b.counters.sends))
      if (v > 0) out.push(`| hamdam_sends_total | ${k.replace(/"/g, '')} | ${v} |`);
    out.push(
      `| emulator | delivery failures (non-2xx, timeouts) | ${b.emulator.delivery_failures} |`,
    );
    const res = b.resources.filter((r) => r.t * 1000 >= measuredFromMs(w));
    const avg = (f: (r: (typeof res)[number]) => number) =>
      res.length === 0 ? 0 : Math.round((res.reduce((a, r) => a + f(r), 0) / res.length) * 10) / 10;
    const peak = (f: (r: (typeof res)[number]) => number) => Math.max(0, ...res.map(f));
    out.push(
      '',
      '### Resources (measured window)',
      '',
      '| process | CPU % of a core, mean | peak | RSS MB, peak |',
      '|---|---|---|---|',
    );
    const workers = res[0]?.workers.length ?? 0;
    for (let i = 0; i < workers; i++)
      out.push(
        `| worker ${i} | ${avg((r) => r.workers[i]?.cpu ?? 0)} | ${peak((r) => r.workers[i]?.cpu ?? 0)} | ${peak((r) => r.workers[i]?.rssMb ?? 0)} |`,
      );
    out.push(
      `| redis-server | ${avg((r) => r.redis.cpu)} | ${peak((r) => r.redis.cpu)} | ${peak((r) => r.redis.memoryMb)} (used_memory) |`,
    );
    for (const [name, f] of [
      ['emulator', (r: (typeof res)[number]) => r.emulator],
      ['load generator', (r: (typeof res)[number]) => r.generator],
    ] as const)
      out.push(
        `| ${name} | ${avg((r) => f(r).cpu)} | ${peak((r) => f(r).cpu)} | ${peak((r) => f(r).rssMb)} |`,
      );
    const rc = b.redis;
    out.push(
      '',
      '### Redis (measured window, INFO commandstats)',
      '',
      `Lua calls: ${rc.luaCalls} (${rc.luaCallsPerRelayed} per relayed message), ${rc.usPerLuaCall} µs per call, of which the commands inside ${rc.innerUsPerLuaCall} µs and the Lua itself ${rc.luaOwnUsPerCall} µs. Redis Lua time per relayed message: ${rc.usPerRelayed} µs. Commands run: ${rc.commands}. Busiest (command, calls, µs/call): ${rc.top.join('; ')}.`,
    );
    out.push(
      '',
      `Redis ops/s: mean ${avg((r) => r.redis.opsPerSec)}, peak ${peak((r) => r.redis.opsPerSec)}. Postgres pool waiting (sum over workers): peak ${b.maxPgPoolWaiting}. Generator event-loop delay p99: ${b.generatorLagP99Ms} ms. Drain after the last update: ${b.drainMs} ms. Mix over the window: chatting ${Math.round(b.shares.chatting * 100)} %, waiting ${Math.round(b.shares.waiting * 100)} %, arriving ${Math.round(b.shares.arriving * 100)} %.`,
    );
  }
  if (b)
    out.push(
      ...(report.profile ? ['', ...profileSection(b, report.profile)] : roundTripsLines(b)),
      '',
      ...pausesSection(b),
    );
  const d = report.direct;
  if (d) {
    out.push(
      '',
      "## Direct driver: bot vs the machine's ceiling",
      '',
      `Recorded updates posted straight to nginx, ${d.bot.concurrency} in flight (the emulator's max_connections), same bodies for both.`,
      '',
    );
    out.push(
      '| upstream | requests/s | p50 ms | p99 ms | max ms | non-2xx | failures |',
      '|---|---|---|---|---|---|---|',
    );
    for (const [name, r] of [
      ['bot workers', d.bot],
      ['empty fastify handler', d.ceiling],
    ] as const)
      out.push(
        `| ${name} | ${r.requestsPerSec} | ${r.latency.p50} | ${r.latency.p99} | ${r.latency.max} | ${r.non2xx} | ${r.failures} |`,
      );
    out.push('', `Bot ÷ ceiling: **${Math.round(d.ratio * 1000) / 10} %**.`);
  }
  const c = report.capacity;
  if (c) {
    out.push(
      '',
      `## Capacity search (${c.stepSeconds} s per step, holds = relay p99 < 250 ms and a clean ledger)`,
      '',
      `Burst: every user of a step arrives within 30 s and the window opens at once. Steady: they arrive at ${c.arrivalRate} a second and the window opens ${c.settleSeconds} s after the last.`,
    );
    for (const search of c.searches) {
      out.push(
        '',
        `### ${search.form}`,
        '',
        '| users | updates/s | webhook p99 | relay p99 | lost/dup/misrouted | holds |',
        '|---|---|---|---|---|---|',
      );
      for (const s of search.steps)
        out.push(
          `| ${s.users} | ${s.updatesPerSec} | ${s.webhookP99} | ${s.relayP99} | ${s.lost}/${s.duplicated}/${s.misrouted} | ${s.holds ? 'yes' : 'no'} |`,
        );
      out.push('', `Largest user count that held: **${search.largestHolding}**.`);
    }
  }
  if (report.notes.length > 0) out.push('', '## Notes', '', ...report.notes.map((n) => `- ${n}`));
  return out.join('\n') + '\n';
}

/** Relay p99 above this, in one second, makes a slow second. */
const SLOW_SECOND_MS = 250;

/**
 * Where the slow seconds come from: the pauses of each process in the seconds whose relay p99
 * was over SLOW_SECOND_MS, beside the same figures for the other seconds of the window.
 */
function pausesSection(b: Omit<BlackBoxResult, 'recorded'>): string[] {
  const bySecond = new Map(b.resources.map((r) => [Math.round(r.t), r]));
  const rows = b.series
    .filter((s) => s.t * 1000 >= measuredFromMs(b.workload))
    .map((s) => ({ s, r: bySecond.get(Math.round(s.t)) }))
    .filter((x): x is { s: SecondSample; r: ResourceSample } => x.r !== undefined);
  const slow = rows.filter((x) => x.s.relayP99 > SLOW_SECOND_MS);
  const rest = rows.filter((x) => x.s.relayP99 <= SLOW_SECOND_MS);
  const mean = (xs: typeof rows, f: (x: (typeof rows)[number]) => number) =>
    xs.length === 0
      ? '–'
      : String(Math.round((xs.reduce((a, x) => a + f(x), 0) / xs.length) * 10) / 10);
  const workerGc = (x: (typeof rows)[number]) => Math.max(0, ...x.r.workers.map((w) => w.gcMs));
  const workerLoop = (x: (typeof rows)[number]) =>
    Math.max(0, ...x.r.workers.map((w) => w.loopMaxMs));
  const workerCpu = (x: (typeof rows)[number]) => x.r.workers.reduce((a, w) => a + w.cpu, 0);
  const p = b.emulator.process;
  return [
    '### Pauses: where the slow seconds come from',
    '',
    `${slow.length} of ${rows.length} seconds of the window had relay p99 over ${SLOW_SECOND_MS} ms. Per second, mean:`,
    '',
    `| seconds | relay p99 ms | emulator GC ms | worker GC ms (busiest) | worker longest loop delay ms | workers' CPU, % of a core | machine busy, % of all cores |`,
    '|---|---|---|---|---|---|---|',
    ...(
      [
        ['slow', slow],
        ['the rest', rest],
      ] as const
    ).map(
      ([name, xs]) =>
        `| ${name} (${xs.length}) | ${mean(xs, (x) => x.s.relayP99)} | ${mean(xs, (x) => x.s.emulatorGcMs)} | ${mean(xs, workerGc)} | ${mean(xs, workerLoop)} | ${mean(xs, workerCpu)} | ${mean(xs, (x) => x.r.machineBusy)} |`,
    ),
    '',
    `Emulator process over the whole run: ${p.gc_count} collections, ${Math.round(p.gc_total_ms)} ms in all, longest ${p.gc_max_ms} ms; event-loop delay p99 ${p.loop_delay_p99_ms} ms, max ${p.loop_delay_max_ms} ms.`,
  ];
}

/** The same figures with inline SVG charts, one self-contained file. */
export function renderHtml(report: RunReport, markdown: string): string {
  const charts: string[] = [];
  const b = report.blackBox;
  if (b) {
    const s = b.series;
    charts.push(
      lineChart('Relay latency per second', 's since start', 'ms', [
        { name: 'relay p50', points: s.map((x) => [x.t, x.relayP50]) },
        { name: 'relay p99', points: s.map((x) => [x.t, x.relayP99]) },
        { name: 'webhook p99', points: s.map((x) => [x.t, x.webhookP99]) },
      ]),
      barChart(
        'Relay latency histogram (measured window)',
        [...HISTOGRAM_BOUNDS.map(String), '>10k'],
        b.relayHistogram,
      ),
      lineChart('Throughput', 's since start', 'per second', [
        { name: 'updates injected', points: s.map((x) => [x.t, x.updatesPosted]) },
        { name: 'updates accepted', points: s.map((x) => [x.t, x.updatesDelivered]) },
        { name: 'bot sends', points: s.map((x) => [x.t, x.sends]) },
      ]),
      lineChart('Users by state', 's since start', 'users', [
        { name: 'chatting', points: s.map((x) => [x.t, x.shares.chatting]) },
        { name: 'waiting', points: s.map((x) => [x.t, x.shares.waiting]) },
        { name: 'arriving', points: s.map((x) => [x.t, x.shares.arriving]) },
      ]),
    );
    const r = b.resources;
    const workers = r[0]?.workers.length ?? 0;
    charts.push(
      lineChart('CPU (% of one core)', 's since start', '%', [
        ...Array.from({ length: workers }, (_, i) => ({
          name: `worker ${i}`,
          points: r.map((x) => [x.t, x.workers[i]?.cpu ?? 0] as const),
        })),
        { name: 'redis', points: r.map((x) => [x.t, x.redis.cpu]) },
        {
          name: 'machine busy × cores',
          points: r.map((x) => [x.t, x.machineBusy * report.machine.cpus] as const),
        },
        { name: 'emulator', points: r.map((x) => [x.t, x.emulator.cpu]) },
        { name: 'generator', points: r.map((x) => [x.t, x.generator.cpu]) },
      ]),
      lineChart('Pauses per second', 's since start', 'ms', [
        { name: 'emulator GC', points: s.map((x) => [x.t, x.emulatorGcMs]) },
        {
          name: 'worker GC (busiest)',
          points: r.map((x) => [x.t, Math.max(0, ...x.workers.map((w) => w.gcMs))] as const),
        },
        {
          name: 'worker loop delay max',
          points: r.map((x) => [x.t, Math.max(0, ...x.workers.map((w) => w.loopMaxMs))] as const),
        },
      ]),
      lineChart('Memory (MB)', 's since start', 'MB', [
        ...Array.from({ length: workers }, (_, i) => ({
          name: `worker ${i} RSS`,
          points: r.map((x) => [x.t, x.workers[i]?.rssMb ?? 0] as const),
        })),
        { name: 'redis used', points: r.map((x) => [x.t, x.redis.memoryMb]) },
      ]),
      lineChart('Redis ops/s and Postgres pool waits', 's since start', 'n', [
        { name: 'redis ops/s', points: r.map((x) => [x.t, x.redis.opsPerSec]) },
        { name: 'pg pool waiting ×100', points: r.map((x) => [x.t, x.pgPoolWaiting * 100]) },
      ]),
    );
  }
  const body = markdown.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<!doctype html><html><head><meta charset="utf-8"><title>hamdam load test ${report.startedAt}</title>
<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;padding:0 1em}pre{white-space:pre-wrap;font-size:13px;background:#f6f6f6;padding:1em}svg{display:block;margin:1.5em 0;border:1px solid #eee}</style></head>
<body><h1>hamdam load test — ${report.startedAt}</h1>${charts.join('\n')}<pre>${body}</pre></body></html>
`;
}
