import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BenchReport } from './run-bench.js';
import type { LatencySummary } from './stats.js';

/** What the old bot managed: one pairing every three seconds, whatever the load. */
const OLD_BOT_MATCHES_PER_SEC = 0.33;

const count = (n: number): string => n.toLocaleString('en-US');
const ms = (n: number): string => `${n.toFixed(2)} ms`;
const latencyCells = (l: LatencySummary): string[] => [
  ms(l.p50Ms),
  ms(l.p95Ms),
  ms(l.p99Ms),
  ms(l.maxMs),
];

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The short human summary: printed to stdout and written beside the JSON. */
export function renderMarkdown(report: BenchReport): string {
  const { machine, settings, medians } = report;
  const fill = medians.queueFill;
  // Per run, not as medians: per-bucket medians need not add up to the median left waiting.
  const leftovers = report.runs
    .map((r) => {
      const buckets = Object.entries(r.queueFill.queuedByBucket).map(
        ([b, n]) => `${b} ${count(n)}`,
      );
      return `run ${r.run}: ${buckets.join(', ') || 'none'}`;
    })
    .join('; ');
  const gib = (machine.totalMemoryBytes / 2 ** 30).toFixed(1);
  return [
    '# Matchmaking benchmark',
    '',
    `${report.startedAt} · medians of ${settings.runs} run(s) · ${machine.cpuCount} × ${machine.cpuModel} · ` +
      `${gib} GiB · ${machine.os} · Node ${machine.node} · Redis ${machine.redis}`,
    '',
    `The real RedisChatStore over ${settings.connections} connections (one per simulated worker), ` +
      `${settings.concurrency} calls in flight in closed-loop phases; latencies are per \`find\`, ` +
      `as the client sees them. Correctness checked after each of ${report.scenarioRunsChecked} ` +
      'scenario runs: every pair mutual, nobody paired twice, nobody both queued and chatting, ' +
      'no two waiting users compatible. All passed.',
    '',
    `## A. Queue fill: ${count(settings.users)} users press find once`,
    '',
    table(
      ['pairs', 'left waiting', 'finds/s', 'matches/s', 'p50', 'p95', 'p99', 'max'],
      [
        [
          count(fill.pairs),
          count(fill.queued),
          count(fill.findsPerSec),
          count(fill.matchesPerSec),
          ...latencyCells(fill.latency),
        ],
      ],
    ),
    '',
    `Left waiting by bucket (own gender:wanted:language:language filter:age band:accepted bands): ${leftovers}. ` +
      'No two of them accept each other (checked): they wait for someone who has not arrived yet.',
    '',
    `## B. Arrivals against a standing queue of ${count(settings.waiting)}`,
    '',
    table(
      ['offered', 'arrivals', 'matches/s', 'p50', 'p95', 'p99', 'max'],
      medians.arrivals.map((a) => [
        a.offeredPerSec === null
          ? `unpaced (${settings.concurrency} in flight)`
          : `${count(a.offeredPerSec)}/s`,
        count(a.arrivals),
        count(a.matchesPerSec),
        ...latencyCells(a.latency),
      ]),
    ),
    '',
    'Every arrival had a compatible partner waiting, so its latency is its whole wait for a match. ' +
      loadVerdict(medians.arrivals) +
      `; the old bot's timer allowed ${OLD_BOT_MATCHES_PER_SEC}/s.`,
    '',
    '## C. Find latency by queue size (one call at a time)',
    '',
    table(
      ['waiting', 'match p50', 'match p99', 'enqueue p50', 'enqueue p99', 'Redis µs/find'],
      medians.queueScale.map((c) => [
        count(c.waiting),
        ms(c.match.p50Ms),
        ms(c.match.p99Ms),
        ms(c.enqueue.p50Ms),
        ms(c.enqueue.p99Ms),
        c.serverUsPerFind.toFixed(1),
      ]),
    ),
    '',
    scaleVerdict(medians.queueScale) +
      ' Redis µs/find is the server time per script call (INFO commandstats), matches and ' +
      'enqueues together; the client latencies add the round trip.',
    '',
  ].join('\n');
}

/**
 * Whether matches kept up with arrivals: a paced level counts as kept up at 90% of its offer
 * or better (the last arrivals' answers are still in flight when the clock stops).
 */
function loadVerdict(levels: BenchReport['medians']['arrivals']): string {
  const behind = levels.filter(
    (a) => a.offeredPerSec !== null && a.matchesPerSec < 0.9 * a.offeredPerSec,
  );
  const unpaced = levels.find((a) => a.offeredPerSec === null);
  const top = unpaced ? ` and reach ${count(unpaced.matchesPerSec)}/s unpaced` : '';
  if (behind.length === 0) return `Matches per second follow the offered load${top}`;
  const at = behind.map((a) => `${count(a.offeredPerSec ?? 0)}/s`).join(', ');
  return `Matches per second fall behind the offered load at ${at}${top}`;
}

/**
 * How the server time per find moved between the smallest and the largest queue, set against
 * how much the queue itself grew: a walk over the queue would grow with it.
 */
function scaleVerdict(sizes: BenchReport['medians']['queueScale']): string {
  const small = sizes[0];
  const large = sizes[sizes.length - 1];
  if (!small || !large || small === large || small.serverUsPerFind <= 0) return '';
  const queueGrowth = large.waiting / small.waiting;
  const costGrowth = large.serverUsPerFind / small.serverUsPerFind;
  return (
    `From ${count(small.waiting)} to ${count(large.waiting)} waiting (${count(queueGrowth)}×), ` +
    `Redis time per find went from ${small.serverUsPerFind.toFixed(1)} to ` +
    `${large.serverUsPerFind.toFixed(1)} µs (${costGrowth.toFixed(2)}×), far from the ` +
    `${count(queueGrowth)}× a walk over the queue would cost: a match reads only the heads of ` +
    'its candidate buckets; what remains is in line with logarithmic sorted-set operations ' +
    'and a larger keyspace.'
  );
}

/** Writes the JSON and, beside it, the Markdown; each through a temporary file and a rename. */
export async function writeReport(
  report: BenchReport,
  jsonPath: string,
  markdown: string,
): Promise<string> {
  const markdownPath = jsonPath.replace(/\.json$/i, '') + '.md';
  await mkdir(dirname(jsonPath), { recursive: true });
  await writeAtomically(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  await writeAtomically(markdownPath, markdown);
  return markdownPath;
}

async function writeAtomically(path: string, content: string): Promise<void> {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, content, 'utf8');
  await rename(temporary, path);
}
