// `npm run metrics:check`: the metrics as an SRE meets them. Two workers behind nginx take a
// short load run while a real Prometheus (Debian's `prometheus`) scrapes them and the Redis,
// Postgres and nginx exporters (prometheus-stack.ts); then every metric the bot exports must
// have moved on /metrics (on every worker, on the lease holder, or somewhere, as its kind
// says), and every panel query of the Grafana dashboard must return data from that Prometheus
// (infra/check-queries.mjs). Exits 1 otherwise.
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePortRange, startTopology, type Topology } from '@hamdam/bot/testing';
import { loadTopology, runBlackBox } from './black-box-run.js';
import { People, saying } from './faults/people.js';
import { PrivateRedis } from './faults/private-services.js';
import { seededRandom } from './seeded-random.js';
import { SMOKE_WORKLOAD } from './workload.js';
import { startExporters, startPrometheus, type Exporter } from './prometheus-stack.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const log = (line: string) =>
  process.stderr.write(`[metrics ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

/** Per-worker work: each worker does it, so it must move on each. */
const EVERY_WORKER = [
  'hamdam_updates_total',
  'hamdam_update_duration_seconds_count',
  'hamdam_handler_duration_seconds_count',
  'hamdam_sends_total',
  'hamdam_send_duration_seconds_count',
  'hamdam_messages_relayed_total',
  'hamdam_matches_total',
  'hamdam_match_wait_seconds_count',
  'hamdam_redis_command_duration_seconds_count',
  'hamdam_pg_pool_wait_seconds_count',
  'hamdam_process_cpu_seconds_total',
];
/** Events that land on whichever worker took the update: their sum must move. */
const SOMEWHERE = [
  'hamdam_duplicate_updates_total',
  'hamdam_flood_dropped_total',
  'hamdam_reports_total',
  'hamdam_bans_total',
  'hamdam_outbox_dropped_total',
];
/** Gauges: non-zero at some sample on some worker (the cluster-wide ones on the lease holder). */
const SEEN_NONZERO = [
  'hamdam_users_chatting',
  'hamdam_users_waiting',
  'hamdam_outbox_depth',
  'hamdam_leader',
  'hamdam_dispatcher_in_flight',
  'hamdam_pg_pool_connections',
  'hamdam_nodejs_heap_size_used_bytes',
];
/** Exported by every worker; zero is their healthy value (alerts watch them rise). */
const PRESENT = [
  'hamdam_handler_errors_total',
  'hamdam_outbox_poison_total',
  'hamdam_outbox_lag_seconds',
  'hamdam_journal_backlog',
  'hamdam_webhook_pending_updates',
  'hamdam_worker_restarts_total',
];

type Sample = Map<string, number>;

/** Sums each metric family (histograms by _count/_sum/_bucket names) of one /metrics page. */
export function parseMetrics(text: string): Sample {
  const out: Sample = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{.*\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const value = Number(match[2]);
    if (Number.isFinite(value)) out.set(match[1]!, (out.get(match[1]!) ?? 0) + value);
  }
  return out;
}

async function scrape(topology: Topology, i: number): Promise<Sample> {
  const response = await fetch(`${topology.workerUrl(i)}/metrics`);
  return parseMetrics(await response.text());
}

/** Makes the rare events happen: a flood, a report that bans, a redelivery, a restart. */
async function rareEvents(topology: Topology, people: People): Promise<void> {
  const [flooder, victim] = await people.pair('Flooder', 'Victim');
  await people.flood(
    flooder,
    Array.from({ length: 30 }, (_, i) => `flood ${i}`),
  );
  // The whole flood is taken before the report: a flood message that arrived after the chat
  // ended would be answered "not in a chat", queueing paced notices ahead of the ban's.
  await people.waitFor(flooder, saying('slowDown'));
  await people.say(victim, '/report');
  const ask = await people.waitFor(victim, saying('report.ask'));
  const spam = ask.buttons.find((data) => data.startsWith('r:spam:')) ?? 'r:spam';
  await people.press(victim, ask.messageId, spam);
  await people.waitFor(flooder, saying('banned'));
  // Someone left waiting: a minor meets only minors, and the load's users are adults, so the
  // queue holds this person until the run ends, across several of the lease holder's stats
  // turns (a load's own waits are too short to be caught by one for sure).
  const loner = await people.person('Loner');
  await people.say(loner, '/find');
  await people.waitFor(loner, saying('searching'));
  // The same update twice, straight to nginx, as Telegram redelivers; its id just past the
  // emulator's (an id far ahead would be taken for a forged one and never de-duplicated).
  const stats = (await (await fetch(`${topology.emulatorUrl}/control/stats`)).json()) as {
    updates_injected: number;
  };
  const update = JSON.stringify({
    update_id: stats.updates_injected + 50_000,
    message: {
      message_id: 1,
      date: 1,
      chat: { id: victim, type: 'private' },
      from: { id: victim, is_bot: false, first_name: 'Victim' },
      text: 'said twice',
    },
  });
  for (let i = 0; i < 2; i++) {
    await fetch(`${topology.nginxUrl}${topology.webhookPath}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-telegram-bot-api-secret-token': topology.secret,
      },
      body: update,
    });
  }
}

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'hamdam-metrics-'));
  const redis = await PrivateRedis.start();
  const nginxStatusPort = await freePortRange(1);
  const topology = await startTopology({
    ...loadTopology(2, 40),
    redisUrl: redis.url,
    nginxStatusPort,
    env: { REPORT_BAN_THRESHOLD: '1' },
  });
  const exporters: Exporter[] = [];
  const problems: string[] = [];
  const lines: string[] = [];
  let prometheus: { url: string; child: ChildProcess } | null = null;
  try {
    // A worker killed first, so its slot's restart counter has something to show.
    const pid = await topology.workerPid(1);
    process.kill(pid, 'SIGKILL');
    await sleep(500);
    await topology.waitForWorkers(30_000);
    exporters.push(...(await startExporters(redis.url, nginxStatusPort)));
    prometheus = await startPrometheus(topology, exporters, dir);
    log(`Prometheus at ${prometheus.url}, scraping both workers and three exporters every 2 s`);
    const before = [await scrape(topology, 0), await scrape(topology, 1)];
    const seen = new Map<string, number>();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        for (const i of [0, 1]) {
          const s = await scrape(topology, i).catch(() => new Map<string, number>());
          for (const name of SEEN_NONZERO)
            seen.set(name, Math.max(seen.get(name) ?? 0, s.get(name) ?? 0));
        }
        await sleep(250);
      }
    })();
    const people = new People(topology.emulatorUrl);
    log('load: 300 users for 20 s, with a flood, a report that bans and a redelivery');
    const [result] = await Promise.all([
      runBlackBox(
        topology,
        { ...SMOKE_WORKLOAD, durationMs: 20_000 },
        {
          workers: 2,
          random: seededRandom(3),
          record: 0,
          log,
          observe: people.observe,
        },
      ),
      sleep(4_000).then(() => rareEvents(topology, people)),
    ]);
    // The cluster gauges are refreshed every 5 s on the lease holder: sample until each has
    // shown, or for two such turns more.
    const deadline = performance.now() + 12_000;
    while (performance.now() < deadline && SEEN_NONZERO.some((name) => !(seen.get(name)! > 0)))
      await sleep(250);
    sampling = false;
    await sampler;
    const after = [await scrape(topology, 0), await scrape(topology, 1)];
    const l = result.ledger;
    lines.push(`load: ${l.sent} messages sent, ${l.delivered} delivered, ${l.lost} lost`);

    const delta = (name: string, i: number) =>
      (after[i]!.get(name) ?? 0) - (before[i]!.get(name) ?? 0);
    for (const name of EVERY_WORKER) {
      const moved = [0, 1].map((i) => delta(name, i));
      const ok = moved.every((d) => d > 0);
      lines.push(`${ok ? 'ok ' : 'NO '} ${name}: +${moved.map(round).join(', +')} (every worker)`);
      if (!ok) problems.push(`${name} did not move on every worker`);
    }
    for (const name of SOMEWHERE) {
      const moved = delta(name, 0) + delta(name, 1);
      lines.push(`${moved > 0 ? 'ok ' : 'NO '} ${name}: +${round(moved)} (across workers)`);
      if (!(moved > 0)) problems.push(`${name} did not move`);
    }
    for (const name of SEEN_NONZERO) {
      const peak = seen.get(name) ?? 0;
      lines.push(`${peak > 0 ? 'ok ' : 'NO '} ${name}: peak ${round(peak)}`);
      if (!(peak > 0)) problems.push(`${name} was never above zero`);
    }
    for (const name of PRESENT) {
      const present = after.every((s) => s.has(name));
      lines.push(
        `${present ? 'ok ' : 'NO '} ${name}: ${after.map((s) => round(s.get(name) ?? NaN)).join(', ')}`,
      );
      if (!present) problems.push(`${name} is not exported by every worker`);
    }
    if ((after[1]!.get('hamdam_worker_restarts_total') ?? 0) < 1)
      problems.push('the restarted slot does not count its restart');

    log('running every dashboard query against Prometheus');
    const check = await run(
      process.execPath,
      [
        join(root, 'infra/check-queries.mjs'),
        '--prometheus',
        prometheus.url,
        '--wait',
        '30',
        ...[0, 1].flatMap((i) => ['--metrics-url', `${topology.workerUrl(i)}/metrics`]),
      ],
      { cwd: root },
    ).then(
      (r) => ({ ok: true, out: r.stdout + r.stderr }),
      (e: { stdout?: string; stderr?: string }) => ({
        ok: false,
        out: `${e.stdout ?? ''}${e.stderr ?? ''}`,
      }),
    );
    lines.push('', 'infra/check-queries.mjs against this Prometheus:', check.out.trim());
    if (!check.ok) problems.push('a dashboard query returned no data (see above)');
  } finally {
    if (prometheus) {
      prometheus.child.kill('SIGTERM');
      await new Promise((r) => prometheus!.child.once('exit', r));
    }
    for (const e of exporters) e.child.kill('SIGTERM');
    await topology.close();
    await redis.close();
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  for (const p of problems) log(`FAIL: ${p}`);
  if (problems.length === 0) log('every metric moved; every dashboard query returned data');
  return problems.length > 0 ? 1 : 0;
}

const round = (n: number) => Math.round(n * 100) / 100;

setTimeout(() => {
  log('time budget exceeded');
  process.exit(3);
}, 5 * 60_000).unref();
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
