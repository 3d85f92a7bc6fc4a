// The command line of check-queries.mjs: its options, checked, with the usage text.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

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

export function parseArgs(argv, root) {
  const o = {
    dashboards: [],
    rules: [],
    runbook: join(root, 'docs/operations.md'),
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
  if (o.dashboards.length === 0) o.dashboards = filesIn(root, 'infra/grafana/dashboards', '.json');
  if (o.rules.length === 0) o.rules = filesIn(root, 'infra/prometheus/rules', '.rules.yml');
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

function filesIn(root, dir, suffix) {
  const abs = join(root, dir);
  return readdirSync(abs)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => join(abs, f));
}
