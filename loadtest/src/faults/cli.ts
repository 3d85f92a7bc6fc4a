// The fault suite: `npm run faults` (full, rewrites docs/reliability.md's table) or
// `npm run faults -- --short` (CI). Each row starts two workers behind nginx on the suite's own
// Redis and Postgres, runs a few hundred chatting users, injects one fault and reports what
// every tagged message did. Exits 1 if any row lost or misrouted a message or failed a check.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FULL, runFault, SHORT, type FaultRow } from './fault-run.js';
import { PrivatePostgres, PrivateRedis } from './private-services.js';
import { renderTable } from './fault-table.js';
import { SCENARIOS } from './scenarios.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const log = (line: string) =>
  process.stderr.write(`[faults ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

const USAGE = `usage: npm run faults -- [--short] [--only a,b] [--no-docs]
  --short     the short form CI runs: 150 users, 26 s per row, shorter outages, without the
              comparison and measurement rows (baseline, api-slow, api-slower-than-timeout)
  --only      run only these rows (${SCENARIOS.map((s) => s.name).join(', ')})
  --no-docs   do not rewrite the table in docs/reliability.md (the short form never does)`;

/** Aborted by a signal or the time budget: the current row ends, everything is torn down. */
const interrupted = new AbortController();

const MARK_BEGIN = '<!-- fault-table:begin -->';
const MARK_END = '<!-- fault-table:end -->';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      short: { type: 'boolean' },
      only: { type: 'string' },
      'no-docs': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const only = values.only?.split(',').map((s) => s.trim());
  const unknown = only?.filter((n) => !SCENARIOS.some((s) => s.name === n)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown rows: ${unknown.join(', ')}\n${USAGE}`);
  const scenarios = SCENARIOS.filter((s) =>
    only ? only.includes(s.name) : !(values.short && s.fullOnly),
  );
  const scale = values.short ? SHORT : FULL;
  const command = `npm run faults${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;

  log('starting the suite’s own Redis (AOF) and Postgres');
  const redis = await PrivateRedis.start();
  const postgres = await PrivatePostgres.start().catch(async (err: unknown) => {
    await redis.close();
    throw err;
  });
  const rows: FaultRow[] = [];
  try {
    for (const scenario of scenarios) {
      if (interrupted.signal.aborted) break;
      log(`row ${scenario.name}: ${scenario.fault}`);
      const row = await runFault(scenario, scale, { redis, postgres }, log, interrupted.signal);
      rows.push(row);
      log(
        `row ${row.name}: ${row.ok ? 'ok' : 'FAILED'} — sent ${row.sent}, delivered ${row.delivered}, lost ${row.lost}, duplicated ${row.duplicated}, misrouted ${row.misrouted}, recovery ${row.recoveryS ?? '–'} s${row.problems.length ? `; ${row.problems.join('; ')}` : ''}`,
      );
    }
  } finally {
    await postgres.close();
    await redis.close();
  }

  const when = new Date().toISOString();
  const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const table = renderTable(rows, { command, when, machine, scale });
  const outDir = join(root, 'loadtest/reports');
  mkdirSync(outDir, { recursive: true });
  const stamp = when.replace(/[:.]/g, '-');
  writeFileSync(
    join(outDir, `faults-${stamp}.json`),
    JSON.stringify({ command, when, machine, scale, rows }, null, 1),
  );
  writeFileSync(join(outDir, `faults-${stamp}.md`), table);
  process.stdout.write(`${table}\n`);
  if (!values.short && !values['no-docs'] && !only && !interrupted.signal.aborted) {
    const docs = resolve(root, 'docs/reliability.md');
    const text = readFileSync(docs, 'utf8');
    const from = text.indexOf(MARK_BEGIN);
    const to = text.indexOf(MARK_END);
    if (from < 0 || to < from) throw new Error(`${docs} has no ${MARK_BEGIN} … ${MARK_END}`);
    writeFileSync(docs, `${text.slice(0, from + MARK_BEGIN.length)}\n${table}\n${text.slice(to)}`);
    log(`table written to ${docs}`);
  }
  const failed = rows.filter((r) => !r.ok);
  if (failed.length > 0) log(`FAILED: ${failed.map((r) => r.name).join(', ')}`);
  return failed.length > 0 || interrupted.signal.aborted ? 1 : 0;
}

const stopping = (why: string) => () => {
  log(`${why}: stopping after tearing down`);
  interrupted.abort();
  setTimeout(() => process.exit(3), 90_000).unref();
};
process.once('SIGINT', stopping('SIGINT'));
process.once('SIGTERM', stopping('SIGTERM'));
// Every row is bounded; this is the backstop should one hang.
setTimeout(stopping('time budget exceeded'), 45 * 60_000).unref();
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
