// The load test: `npm run loadtest -- --help`. Runs the black-box workload against the full
// topology, then the direct driver against the bot and against the empty handler (the ceiling),
// optionally a capacity search, and writes the report. Exits by itself.
import { mkdirSync, writeFileSync } from 'node:fs';
import { appendSummary } from './run-summary.js';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTopology, type Topology, type TopologyOptions } from '@hamdam/bot/testing';
import { loadTopology, runBlackBox, type BlackBoxResult } from './black-box-run.js';
import { parseFlags, type CliFlags } from './cli-flags.js';
import { driveDirect } from './direct-driver.js';
import { readProfiles, readWorkspaces, sourceLocator } from './profile-files.js';
import { summariseProfiles } from './profile-summary.js';
import { renderHtml, renderMarkdown } from './report-pages.js';
import {
  checkTargets,
  type CapacitySearch,
  type CapacityStep,
  type RunReport,
} from './run-report.js';
import { seededRandom } from './seeded-random.js';
import { capacityWorkload } from './workload.js';

const log = (line: string) =>
  process.stderr.write(`[loadtest ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/** Topologies running now: torn down on an interrupt, so no process outlives the run. */
const running = new Set<Topology>();
const interrupted = new AbortController();

async function withTopology<T>(
  options: TopologyOptions,
  use: (topology: Topology) => Promise<T>,
): Promise<T> {
  const topology = await startTopology(options);
  running.add(topology);
  try {
    return await use(topology);
  } finally {
    running.delete(topology);
    await topology.close();
  }
}

/** Closes what is running (bounded in time), then exits with `code`. */
function exitAfterTeardown(code: number): void {
  interrupted.abort();
  const forced = setTimeout(() => process.exit(code), 45_000);
  forced.unref();
  void Promise.allSettled([...running].map((t) => t.close())).then(() => process.exit(code));
}

async function main(flags: CliFlags): Promise<void> {
  const startedAt = new Date().toISOString();
  const stamp = startedAt.replace(/[:.]/g, '-');
  const outDir = resolve(flags.out);
  mkdirSync(outDir, { recursive: true });
  const profileDir = join(outDir, `${stamp}-profiles`);
  const topologyOptions = (): TopologyOptions => ({
    ...loadTopology(flags.workers, flags.maxConnections, flags.upstream),
    ...(flags.cpuProf ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {}),
  });
  const notes: string[] = [];
  let blackBox: BlackBoxResult | null = null;
  let direct: RunReport['direct'] = null;
  let capacity: RunReport['capacity'] = null;

  if (!flags.skipRun) {
    log(`starting the topology with ${flags.workers} workers`);
    const run = await withTopology(topologyOptions(), async (topology) => {
      const result = await runBlackBox(topology, flags.workload, {
        workers: flags.workers,
        random: seededRandom(flags.seed),
        record: 20_000,
        log,
        signal: interrupted.signal,
      });
      const l = result.ledger;
      log(
        `ledger: sent ${l.sent}, expected ${l.expected}, delivered ${l.delivered}, dropped at chat end ${l.dropped}, lost ${l.lost}, duplicated ${l.duplicated}, misrouted ${l.misrouted}, late ${l.late}`,
      );
      if (!flags.ceiling) return { result, bot: null };
      log(
        `direct driver against the bot: ${flags.maxConnections} in flight for ${flags.directSeconds} s`,
      );
      const bot = await driveDirect(
        topology,
        result.recorded,
        flags.maxConnections,
        flags.directSeconds,
        2_000_000_000,
      );
      return { result, bot };
    });
    blackBox = run.result;
    if (run.bot) {
      const bot = run.bot;
      log('direct driver against the empty handler (the ceiling)');
      const ceiling = await withTopology({ ...topologyOptions(), emptyHandler: true }, (empty) =>
        driveDirect(
          empty,
          run.result.recorded,
          flags.maxConnections,
          flags.directSeconds,
          2_000_000_000,
        ),
      );
      direct = {
        bot,
        ceiling,
        ratio: ceiling.requestsPerSec === 0 ? 0 : bot.requestsPerSec / ceiling.requestsPerSec,
      };
    }
  }

  if (flags.capacitySearch) {
    const plan = {
      stepSeconds: flags.stepSeconds,
      arrivalRate: flags.arrivalRate,
      settleSeconds: flags.settleSeconds,
    };
    const searches: CapacitySearch[] = [];
    for (const form of ['burst', 'steady'] as const) {
      const steps: CapacityStep[] = [];
      let largestHolding = 0;
      for (const users of flags.steps) {
        const workload = capacityWorkload(flags.workload, form, users, plan);
        log(
          `capacity step (${form}): ${users} users over ${workload.rampMs / 1000} s, ${flags.stepSeconds} s measured`,
        );
        const r = await withTopology(topologyOptions(), (topology) =>
          runBlackBox(topology, workload, {
            workers: flags.workers,
            random: seededRandom(flags.seed + users),
            record: 0,
            log,
            drainMaxMs: 30_000,
            signal: interrupted.signal,
          }),
        );
        const l = r.ledger;
        const holds = r.relay.p99 < 250 && l.lost + l.duplicated + l.misrouted + l.late === 0;
        steps.push({
          users,
          relayP99: r.relay.p99,
          webhookP99: r.webhook.p99,
          updatesPerSec: r.throughput.updatesPerSec,
          lost: l.lost,
          duplicated: l.duplicated,
          misrouted: l.misrouted,
          holds,
        });
        log(
          `step ${users} (${form}): relay p99 ${r.relay.p99} ms, ${holds ? 'holds' : 'does not hold'}`,
        );
        if (!holds) break;
        largestHolding = users;
      }
      searches.push({ form, steps, largestHolding });
    }
    capacity = { ...plan, searches };
  }

  let profile: RunReport['profile'] = null;
  if (flags.profile && blackBox) {
    // The workers wrote their profiles when the run's topology closed; the ceiling's and the
    // capacity steps' workers are other processes.
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const profiles = readProfiles(profileDir, blackBox.workerPids);
    if (profiles.length < blackBox.workers)
      notes.push(
        `Only ${profiles.length} of ${blackBox.workers} workers' CPU profiles were found (a worker killed does not write one).`,
      );
    profile = summariseProfiles(profiles, blackBox.windowUs, root, readWorkspaces(root), {
      locate: sourceLocator(root),
    });
  }
  if (flags.cpuProf)
    notes.push(
      `CPU profiles of the supervisor, the workers and the emulator: ${profileDir} (open in Chrome DevTools).`,
    );
  const partial: Omit<RunReport, 'targets'> = {
    startedAt,
    command: `npm run loadtest -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: {
      cpus: cpus().length,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      loadAverage: loadavg().map((n) => Math.round(n * 100) / 100),
    },
    blackBox: blackBox ? withoutRecorded(blackBox) : null,
    direct,
    capacity,
    profile,
    notes,
  };
  const report: RunReport = { ...partial, targets: checkTargets(partial) };
  const md = renderMarkdown(report, `${stamp}.html`);
  writeFileSync(join(outDir, `${stamp}.json`), JSON.stringify(report, null, 1));
  writeFileSync(join(outDir, `${stamp}.md`), md);
  writeFileSync(join(outDir, `${stamp}.html`), renderHtml(report, md));
  writeFileSync(join(outDir, 'latest.md'), md);
  writeFileSync(join(outDir, 'latest.html'), renderHtml(report, md));
  appendSummary(flags.summary, report, stamp);
  log(`report: ${join(outDir, `${stamp}.md`)}; summary row added to ${flags.summary}`);
  process.stdout.write(md);
  const l = blackBox?.ledger;
  if (
    l &&
    (l.lost + l.duplicated + l.misrouted + l.late > 0 || Object.keys(l.ruleViolations).length > 0)
  )
    process.exitCode = 1;
}

function withoutRecorded(result: BlackBoxResult): Omit<BlackBoxResult, 'recorded'> {
  const { recorded, ...rest } = result;
  void recorded;
  return rest;
}

let flags: CliFlags;
try {
  flags = parseFlags(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
// Every phase is bounded; this is the backstop should one hang.
const budgetMs =
  (flags.workload.rampMs + flags.workload.durationMs + 2 * flags.directSeconds * 1000) * 2 +
  (flags.capacitySearch
    ? flags.steps.reduce(
        (sum, users) =>
          sum +
          2 * (flags.stepSeconds * 1000 + 120_000) +
          (users / flags.arrivalRate + flags.settleSeconds) * 1000,
        0,
      )
    : 0) +
  300_000;
setTimeout(() => {
  log('time budget exceeded; stopping');
  exitAfterTeardown(3);
}, budgetMs).unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    log(`${signal}: stopping the topology`);
    exitAfterTeardown(130);
  });
main(flags).then(
  () => process.exit(),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
