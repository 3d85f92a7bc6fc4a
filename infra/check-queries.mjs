#!/usr/bin/env node
// Checks the PromQL of the Grafana dashboard and the Prometheus rules against what exists
// (reading them: promql.mjs; the command line: check-queries-args.mjs). Plain Node (20+), no
// dependencies. Usage and exit codes: `node infra/check-queries.mjs --help`, infra/README.md.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  dashboardQueries,
  interpolate,
  markdownAnchors,
  parseRules,
  scanExpression,
} from './promql.mjs';
import { parseArgs } from './check-queries-args.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// The metric names the workers export (the list agreed for the metrics work), by type, so a
// typo fails here before any worker runs. prom-client's default metrics carry the same prefix;
// only the ones the dashboard reads are listed.
const HAMDAM_METRICS = Object.freeze({
  hamdam_updates_total: 'counter',
  hamdam_update_duration_seconds: 'histogram',
  hamdam_handler_duration_seconds: 'histogram',
  hamdam_handler_errors_total: 'counter',
  hamdam_sends_total: 'counter',
  hamdam_send_duration_seconds: 'histogram',
  hamdam_dispatcher_in_flight: 'gauge',
  hamdam_outbox_depth: 'gauge',
  hamdam_outbox_lag_seconds: 'gauge',
  hamdam_outbox_dropped_total: 'counter',
  hamdam_journal_backlog: 'gauge',
  hamdam_outbox_poison_total: 'counter',
  hamdam_users_chatting: 'gauge',
  hamdam_users_waiting: 'gauge',
  hamdam_matches_total: 'counter',
  hamdam_match_wait_seconds: 'histogram',
  hamdam_messages_relayed_total: 'counter',
  hamdam_duplicate_updates_total: 'counter',
  hamdam_flood_dropped_total: 'counter',
  hamdam_reports_total: 'counter',
  hamdam_bans_total: 'counter',
  hamdam_pg_pool_connections: 'gauge',
  hamdam_pg_pool_wait_seconds: 'histogram',
  hamdam_redis_command_duration_seconds: 'histogram',
  hamdam_webhook_pending_updates: 'gauge',
  hamdam_worker_restarts_total: 'counter',
  hamdam_leader: 'gauge',
  hamdam_nodejs_eventloop_lag_p99_seconds: 'gauge',
  hamdam_nodejs_heap_size_used_bytes: 'gauge',
  hamdam_process_resident_memory_bytes: 'gauge',
  hamdam_process_cpu_seconds_total: 'counter',
});
// Exporter metrics are checked by prefix: redis_exporter, postgres_exporter, nginx exporter.
const EXPORTER_PREFIXES = ['redis_', 'pg_', 'nginx_'];
const BUILTIN_METRICS = new Set(['up']);

function readText(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    process.stderr.write(`check-queries: cannot read ${file}: ${err.message}\n`);
    process.exit(2);
  }
}

// ---------------------------------------------------------------------------------------------
// Checks

function offlineChecks(queries) {
  const problems = [];
  for (const q of queries) {
    for (const m of q.metrics) {
      if (m.startsWith('hamdam_')) {
        if (!isAgreedHamdamName(m))
          problems.push(`${q.where}: ${m} is not an agreed hamdam metric`);
      } else if (!BUILTIN_METRICS.has(m) && !EXPORTER_PREFIXES.some((p) => m.startsWith(p))) {
        problems.push(`${q.where}: ${m} is neither a hamdam metric nor an exporter's`);
      }
    }
    if (q.metrics.length === 0) problems.push(`${q.where}: names no metric`);
  }
  return problems;
}

function isAgreedHamdamName(name) {
  if (HAMDAM_METRICS[name] && HAMDAM_METRICS[name] !== 'histogram') return true;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return base !== name && HAMDAM_METRICS[base] === 'histogram';
}

function alertChecks(rules, runbookFile) {
  const problems = [];
  const anchors = markdownAnchors(readText(runbookFile));
  for (const r of rules) {
    if (r.kind !== 'alert') continue;
    for (const key of ['summary', 'description', 'runbook_url']) {
      if (!r.annotations[key]) problems.push(`alert ${r.name}: no ${key}`);
    }
    const url = r.annotations.runbook_url;
    if (url) {
      const anchor = url.split('#')[1];
      if (!anchor) problems.push(`alert ${r.name}: runbook_url has no #anchor`);
      else if (!anchors.has(anchor)) {
        problems.push(`alert ${r.name}: ${runbookFile} has no heading for #${anchor}`);
      }
      if (anchor && anchor !== r.name.toLowerCase()) {
        problems.push(`alert ${r.name}: runbook anchor should be #${r.name.toLowerCase()}`);
      }
    }
  }
  return problems;
}

async function fetchText(url, timeoutMs, init = {}) {
  let response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new Error(`${url.origin}${url.pathname}: ${err.cause?.code ?? err.name}`);
  }
  const text = await response.text();
  if (text.length > 50_000_000) throw new Error(`${url.origin}${url.pathname}: answer too large`);
  return { status: response.status, text };
}

/** Every sample name an exposition declares or carries, histograms expanded. */
export function exportedNames(exposition) {
  const names = new Set();
  for (const line of exposition.split('\n')) {
    const type = /^#\s*TYPE\s+(\S+)\s+(\S+)/.exec(line);
    if (type) {
      const [, name, kind] = type;
      names.add(name);
      if (kind === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
      if (kind === 'summary') for (const s of ['_sum', '_count']) names.add(name + s);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[\s{]/.exec(line);
    if (sample) names.add(sample[1]);
  }
  return names;
}

async function metricsUrlChecks(urls, queries, timeoutMs) {
  const exported = new Set();
  for (const url of urls) {
    const { status, text } = await fetchText(url, timeoutMs);
    if (status !== 200) throw new Error(`${url.origin}${url.pathname}: HTTP ${status}`);
    for (const name of exportedNames(text)) exported.add(name);
  }
  const missing = new Map();
  for (const q of queries) {
    for (const m of q.metrics) {
      if (m.startsWith('hamdam_') && !exported.has(m)) {
        if (!missing.has(m)) missing.set(m, []);
        missing.get(m).push(q.where);
      }
    }
  }
  return [...missing].map(
    ([m, where]) => `${m} is not exported by the given endpoints (used by ${where.join('; ')})`,
  );
}

function isExporterQuery(q) {
  if (q.metrics.some((m) => !m.startsWith('hamdam_') && !BUILTIN_METRICS.has(m))) return true;
  return q.matchers.some((m) => /\bjob\s*(=~|=|!=|!~)\s*"(?!hamdam")/.test(m));
}

async function prometheusChecks(base, queries, o) {
  const api = new URL('api/v1/query', base.href.endsWith('/') ? base : new URL(base.href + '/'));
  const run = async (q) => {
    const body = new URLSearchParams({ query: interpolate(q.expr, o.rateInterval) });
    const { status, text } = await fetchText(api, o.timeoutMs, { method: 'POST', body });
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      return { error: `HTTP ${status}, not JSON` };
    }
    if (json.status !== 'success') return { error: `${json.errorType}: ${json.error}` };
    const result = json.data?.result;
    const hasData = Array.isArray(result) ? result.length > 0 : result !== undefined;
    return { hasData };
  };
  const deadline = Date.now() + o.waitSeconds * 1000;
  let pending = queries;
  for (;;) {
    const problems = [];
    const retry = [];
    for (const q of pending) {
      const r = await run(q);
      if (r.error) problems.push(`${q.where}: query failed: ${r.error}`);
      else if (!r.hasData && q.kind === 'panel') {
        if (o.skipExporters && isExporterQuery(q)) {
          process.stdout.write(`  no data (exporter query, not required): ${q.where}\n`);
        } else {
          retry.push(q);
        }
      }
    }
    if (problems.length > 0 || retry.length === 0 || Date.now() >= deadline) {
      return problems.concat(retry.map((q) => `${q.where}: no data for ${q.expr.trim()}`));
    }
    pending = retry;
    await new Promise((r) => setTimeout(r, 5000));
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const o = parseArgs(process.argv.slice(2), ROOT);
  const problems = [];
  const queries = [];
  for (const file of o.dashboards) {
    const d = dashboardQueries(readText(file), file);
    problems.push(...d.problems);
    queries.push(...d.queries);
  }
  const rules = [];
  for (const file of o.rules) {
    const r = parseRules(readText(file), file);
    problems.push(...r.problems);
    rules.push(...r.rules);
    for (const rule of r.rules) {
      if (rule.expr)
        queries.push({ kind: rule.kind, where: `${rule.kind} ${rule.name}`, expr: rule.expr });
    }
  }
  for (const q of queries) {
    try {
      Object.assign(q, scanExpression(q.expr));
    } catch (err) {
      Object.assign(q, { metrics: [], matchers: [] });
      problems.push(`${q.where}: ${err.message}`);
    }
  }
  if (o.list) {
    for (const q of queries) {
      process.stdout.write(
        `${q.where}\n  ${q.expr.trim().replace(/\s*\n\s*/g, ' ')}\n  metrics: ${q.metrics.join(', ')}\n`,
      );
    }
  }
  problems.push(...offlineChecks(queries), ...alertChecks(rules, o.runbook));
  const panels = queries.filter((q) => q.kind === 'panel').length;
  const alerts = rules.filter((r) => r.kind === 'alert').length;
  process.stdout.write(
    `check-queries: ${panels} panel queries in ${o.dashboards.length} dashboard(s), ${alerts} alerts in ${o.rules.length} rule file(s)\n`,
  );
  try {
    if (o.metricsUrls.length > 0) {
      const p = await metricsUrlChecks(o.metricsUrls, queries, o.timeoutMs);
      process.stdout.write(
        `check-queries: checked names against ${o.metricsUrls.length} /metrics endpoint(s)\n`,
      );
      problems.push(...p);
    }
    if (o.prometheus) {
      const p = await prometheusChecks(o.prometheus, queries, o);
      process.stdout.write(`check-queries: ran ${queries.length} queries against Prometheus\n`);
      problems.push(...p);
    }
  } catch (err) {
    process.stderr.write(`check-queries: ${err.message}\n`);
    process.exit(2);
  }
  if (problems.length > 0) {
    for (const p of problems) process.stderr.write(`FAIL ${p}\n`);
    process.stderr.write(`check-queries: ${problems.length} problem(s)\n`);
    process.exit(1);
  }
  process.stdout.write('check-queries: ok\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
