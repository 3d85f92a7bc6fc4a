#!/usr/bin/env node
// Checks the PromQL of the Grafana dashboard and the Prometheus rules against what exists.
// Plain Node (20+), no dependencies. Usage and exit codes: `node infra/check-queries.mjs --help`
// and infra/README.md.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `usage: node infra/check-queries.mjs [options]

Always: extracts every PromQL expression from the dashboards and the rule files, and the
metric names each one uses; fails if a hamdam_* name is not one the workers agreed to export,
if a name is from no known exporter, if an alert lacks summary, description or runbook_url,
or if a runbook_url's anchor is not a heading of the runbook.

  --dashboard FILE       dashboard JSON (repeatable; default infra/grafana/dashboards/*.json)
  --rules FILE           Prometheus rule file (repeatable; default infra/prometheus/rules/*.rules.yml)
  --runbook FILE         runbook the alerts link to (default docs/operations.md)
  --list                 print every expression and its metric names
  --metrics-url URL      a worker's /metrics (repeatable): fail if an expression names a
                         hamdam_* metric that none of these endpoints exports
  --prometheus URL       Prometheus base URL: run every panel query through /api/v1/query and
                         fail if one returns no data (rule expressions must only run cleanly)
  --skip-exporters       with --prometheus: queries about Redis, Postgres or nginx (exporter
                         metrics, or a job other than hamdam) are run but may return no data
  --rate-interval DUR    what $__rate_interval stands for (default 1m; $__interval 15s)
  --wait SECONDS         with --prometheus: retry queries without data until this long has passed
  --timeout-ms MS        per HTTP request (default 5000)

exit 0: all checks passed; 1: a check failed; 2: bad usage, unreadable file or unreachable URL`;

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

// ---------------------------------------------------------------------------------------------
// Command line

function parseArgs(argv) {
  const o = {
    dashboards: [],
    rules: [],
    runbook: join(ROOT, 'docs/operations.md'),
    list: false,
    metricsUrls: [],
    prometheus: null,
    skipExporters: false,
    rateInterval: '1m',
    waitSeconds: 0,
    timeoutMs: 5000,
  };
  const value = (i, name) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) usage(`${name} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--help':
      case '-h':
        process.stdout.write(USAGE + '\n');
        process.exit(0);
        break;
      case '--dashboard':
        o.dashboards.push(resolve(value(i++, a)));
        break;
      case '--rules':
        o.rules.push(resolve(value(i++, a)));
        break;
      case '--runbook':
        o.runbook = resolve(value(i++, a));
        break;
      case '--list':
        o.list = true;
        break;
      case '--metrics-url':
        o.metricsUrls.push(httpUrl(value(i++, a), a));
        break;
      case '--prometheus':
        o.prometheus = httpUrl(value(i++, a), a);
        break;
      case '--skip-exporters':
        o.skipExporters = true;
        break;
      case '--rate-interval': {
        const v = value(i++, a);
        if (!/^[0-9]+(ms|s|m|h)$/.test(v)) usage(`${a} takes a duration like 1m, got ${v}`);
        o.rateInterval = v;
        break;
      }
      case '--wait':
        o.waitSeconds = positiveNumber(value(i++, a), a, true);
        break;
      case '--timeout-ms':
        o.timeoutMs = positiveNumber(value(i++, a), a, false);
        break;
      default:
        usage(`unknown argument: ${a}`);
    }
  }
  if (o.dashboards.length === 0) o.dashboards = filesIn('infra/grafana/dashboards', '.json');
  if (o.rules.length === 0) o.rules = filesIn('infra/prometheus/rules', '.rules.yml');
  return o;
}

function usage(message) {
  process.stderr.write(`check-queries: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function httpUrl(text, flag) {
  let url;
  try {
    url = new URL(text);
  } catch {
    usage(`${flag} is not a URL: ${text}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') usage(`${flag} must be http(s)`);
  if (url.username || url.password) usage(`${flag} must not carry credentials`);
  return url;
}

function positiveNumber(text, flag, zeroOk) {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || (!zeroOk && n === 0)) usage(`${flag}: bad number ${text}`);
  return n;
}

function filesIn(dir, suffix) {
  const abs = join(ROOT, dir);
  return readdirSync(abs)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => join(abs, f));
}

function readText(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    process.stderr.write(`check-queries: cannot read ${file}: ${err.message}\n`);
    process.exit(2);
  }
}

// ---------------------------------------------------------------------------------------------
// PromQL: metric names used by an expression

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
  'start',
  'end',
]);
const AGGREGATIONS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
]);
const LABEL_LIST_KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
]);

/**
 * Metric names and label matchers of one expression. A small scanner, not a parser: strings,
 * `{…}` matchers and `[…]` ranges are skipped, an identifier followed by `(` is a function or
 * aggregation (also before `by`/`without`), a keyword followed by `(` opens a label list, and
 * any other identifier is a
 * metric name. Unbalanced brackets are reported. promtool validates the rules for real.
 */
export function scanExpression(expr) {
  const metrics = new Set();
  const matchers = [];
  let i = 0;
  let depth = 0;
  const n = expr.length;
  const skipString = (start) => {
    const quote = expr[start];
    let j = start + 1;
    while (j < n && expr[j] !== quote) j += expr[j] === '\\' && quote !== '`' ? 2 : 1;
    if (j >= n) throw new Error('unterminated string');
    return j + 1;
  };
  while (i < n) {
    const c = expr[i];
    if (c === '"' || c === "'" || c === '`') {
      i = skipString(i);
    } else if (c === '#') {
      while (i < n && expr[i] !== '\n') i++;
    } else if (c === '{') {
      const start = i + 1;
      while (i < n && expr[i] !== '}')
        i = expr[i] === '"' || expr[i] === "'" ? skipString(i) : i + 1;
      if (i >= n) throw new Error('unbalanced {');
      matchers.push(expr.slice(start, i));
      i++;
    } else if (c === '[') {
      while (i < n && expr[i] !== ']') i++;
      if (i >= n) throw new Error('unbalanced [');
      i++;
    } else if (c === '(') {
      depth++;
      i++;
    } else if (c === ')') {
      if (--depth < 0) throw new Error('unbalanced )');
      i++;
    } else if (c === '}' || c === ']') {
      throw new Error(`unbalanced ${c}`);
    } else if (/[0-9.]/.test(c)) {
      while (
        i < n &&
        /[0-9a-zA-Z_.+]/.test(expr[i]) &&
        !(expr[i] === '+' && !/[eE]/.test(expr[i - 1]))
      )
        i++;
    } else if (/[a-zA-Z_:]/.test(c)) {
      let j = i;
      while (j < n && /[a-zA-Z0-9_:]/.test(expr[j])) j++;
      const word = expr.slice(i, j);
      let k = j;
      while (k < n && /\s/.test(expr[k])) k++;
      const lower = word.toLowerCase();
      if (LABEL_LIST_KEYWORDS.has(lower) && expr[k] === '(') {
        const close = expr.indexOf(')', k);
        if (close < 0) throw new Error('unbalanced (');
        i = close + 1;
        continue;
      }
      // `sum by (le) (…)`: an aggregation whose modifier comes before its argument.
      const modifierNext = /^(by|without)\s*\(/i.test(expr.slice(k));
      const isAggregation = AGGREGATIONS.has(lower) && modifierNext;
      if (!KEYWORDS.has(lower) && !isAggregation && expr[k] !== '(') metrics.add(word);
      i = j;
    } else {
      i++;
    }
  }
  if (depth !== 0) throw new Error('unbalanced (');
  return { metrics: [...metrics], matchers };
}

/** Dashboard variables, as Grafana would fill them in for a query. */
function interpolate(expr, rateInterval) {
  return expr
    .replaceAll('$__rate_interval', rateInterval)
    .replaceAll('${__rate_interval}', rateInterval)
    .replaceAll('$__interval', '15s')
    .replaceAll('${__interval}', '15s')
    .replaceAll('$__range', '1h');
}

// ---------------------------------------------------------------------------------------------
// Sources: dashboard JSON and rule YAML

function dashboardQueries(file) {
  let dashboard;
  try {
    dashboard = JSON.parse(readText(file));
  } catch (err) {
    return { queries: [], problems: [`${file}: not JSON: ${err.message}`] };
  }
  const queries = [];
  const problems = [];
  const visit = (panels) => {
    for (const panel of panels ?? []) {
      if (panel.type === 'row') {
        visit(panel.panels);
        continue;
      }
      const targets = (panel.targets ?? []).filter((t) => !t.hide);
      if (targets.length === 0) problems.push(`${file}: panel "${panel.title}" has no query`);
      for (const t of targets) {
        if (typeof t.expr !== 'string' || t.expr.trim() === '') {
          problems.push(`${file}: panel "${panel.title}" query ${t.refId} has no expr`);
          continue;
        }
        queries.push({ kind: 'panel', where: `panel "${panel.title}" ${t.refId}`, expr: t.expr });
      }
    }
  };
  visit(dashboard.panels);
  return { queries, problems };
}

/**
 * The rule files' alerts and recording rules, read with a line scanner that knows the subset
 * of YAML a rule file uses: `- alert:`/`- record:` items whose `expr` and annotations are plain
 * or quoted scalars or block scalars (| or >). Anything else under those keys is reported.
 */
export function parseRules(text, file) {
  const rules = [];
  const problems = [];
  const lines = text.split('\n');
  let rule = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const item = /^(\s*)-\s+(alert|record):\s*(.+?)\s*$/.exec(line);
    if (item) {
      rule = { kind: item[2], name: unquote(item[3]), expr: null, annotations: {}, line: i + 1 };
      rules.push(rule);
      continue;
    }
    if (!rule) continue;
    const kv = /^(\s*)(expr|summary|description|runbook_url):\s*(.*?)\s*$/.exec(line);
    if (!kv) continue;
    const [, indent, key, raw] = kv;
    let value;
    if (/^[|>][+-]?$/.test(raw)) {
      const block = [];
      let j = i + 1;
      for (; j < lines.length; j++) {
        const l = lines[j];
        if (l.trim() === '') {
          block.push('');
          continue;
        }
        if (l.length - l.trimStart().length <= indent.length) break;
        block.push(l.trim());
      }
      i = j - 1;
      value = (
        raw.startsWith('|') ? block.join('\n') : block.join(' ').replace(/\s+/g, ' ')
      ).trim();
    } else if (raw === '') {
      problems.push(
        `${file}:${i + 1}: ${key} of ${rule.name} has a form this checker does not read`,
      );
      continue;
    } else {
      value = unquote(raw);
    }
    if (key === 'expr') rule.expr = value;
    else rule.annotations[key] = value;
  }
  for (const r of rules) if (!r.expr) problems.push(`${file}:${r.line}: ${r.name} has no expr`);
  return { rules, problems };
}

function unquote(s) {
  if (s.length >= 2 && s.startsWith("'") && s.endsWith("'"))
    return s.slice(1, -1).replaceAll("''", "'");
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) return JSON.parse(s);
  return s;
}

/** GitHub-style anchors of a Markdown file's headings, plus explicit <a id="…"> anchors. */
function markdownAnchors(text) {
  const anchors = new Set();
  for (const line of text.split('\n')) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      anchors.add(
        h[1]
          .toLowerCase()
          .replace(/[^\p{L}\p{N}\s_-]/gu, '')
          .replace(/\s/g, '-'),
      );
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(m[1]);
  }
  return anchors;
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
  const o = parseArgs(process.argv.slice(2));
  const problems = [];
  const queries = [];
  for (const file of o.dashboards) {
    const d = dashboardQueries(file);
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
