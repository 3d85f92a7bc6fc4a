// Tests of check-queries.mjs: `node --test infra/check-queries.test.mjs` (run by infra/check.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportedNames } from './check-queries.mjs';
import { parseRules, scanExpression } from './promql.mjs';

const SCRIPT = fileURLToPath(new URL('./check-queries.mjs', import.meta.url));

test('metric names are told apart from functions, keywords, labels and durations', () => {
  const { metrics, matchers } = scanExpression(`
    histogram_quantile(0.99, sum by (le, instance) (rate(hamdam_update_duration_seconds_bucket[5m])))
    > on (instance) group_left(worker) 0.025
    and sum without (outcome) (increase(hamdam_updates_total{outcome=~"error|un(available)"}[1h] offset 5m)) > 1e+3
    or max(redis_memory_used_bytes / (redis_memory_max_bytes > 0)) # a comment naming not_a_metric
    unless deriv(max(hamdam_outbox_depth)[15m:1m]) > 0 or up{job="hamdam"} == bool 0`);
  assert.deepEqual(metrics.sort(), [
    'hamdam_outbox_depth',
    'hamdam_update_duration_seconds_bucket',
    'hamdam_updates_total',
    'redis_memory_max_bytes',
    'redis_memory_used_bytes',
    'up',
  ]);
  assert.deepEqual(matchers, ['outcome=~"error|un(available)"', 'job="hamdam"']);
});

test('unbalanced expressions are reported', () => {
  assert.throws(() => scanExpression('sum(rate(x[5m])'), /unbalanced/);
  assert.throws(() => scanExpression('x{a="b"'), /unbalanced/);
  assert.throws(() => scanExpression('x{a="b}'), /unterminated string/);
});

test('rule files are read with block scalars, quoted values and annotations', () => {
  const { rules, problems } = parseRules(
    `groups:
  - name: g
    rules:
      - alert: A
        expr: |
          sum(rate(a_total[5m]))
          > 1
        for: 5m
        annotations:
          summary: 'It''s {{ $value }}'
          description: >-
            Two
            lines.
          runbook_url: docs/operations.md#a
      - record: job:b:sum
        expr: "sum(b)"
      - alert: NoExpr
        labels: { severity: page }
`,
    'test.yml',
  );
  assert.deepEqual(
    rules.map((r) => [r.kind, r.name, r.expr]),
    [
      ['alert', 'A', 'sum(rate(a_total[5m]))\n> 1'],
      ['record', 'job:b:sum', 'sum(b)'],
      ['alert', 'NoExpr', null],
    ],
  );
  assert.deepEqual(rules[0].annotations, {
    summary: "It's {{ $value }}",
    description: 'Two lines.',
    runbook_url: 'docs/operations.md#a',
  });
  assert.deepEqual(problems, ['test.yml:17: NoExpr has no expr']);
});

test('an exposition declares histogram series and unlabelled samples', () => {
  const names = exportedNames(`# HELP h help
# TYPE h histogram
h_bucket{le="+Inf"} 0
# TYPE c_total counter
g 1
labelled{a="b"} 2
`);
  for (const n of ['h', 'h_bucket', 'h_sum', 'h_count', 'c_total', 'g', 'labelled']) {
    assert.ok(names.has(n), n);
  }
  assert.ok(!names.has('c'));
});

/** Runs the CLI on a one-panel dashboard and one alert, with a fake worker /metrics. */
async function runCli(exposition, expr) {
  const dir = mkdtempSync(join(tmpdir(), 'check-queries-'));
  const server = createServer((_req, res) => res.end(exposition));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    writeFileSync(
      join(dir, 'd.json'),
      JSON.stringify({
        panels: [{ type: 'timeseries', title: 'P', targets: [{ refId: 'A', expr }] }],
      }),
    );
    writeFileSync(
      join(dir, 'r.yml'),
      `groups:\n  - name: g\n    rules:\n      - alert: HamdamX\n        expr: up{job="hamdam"} == 0\n        annotations:\n          summary: s\n          description: d\n          runbook_url: docs/operations.md#hamdamx\n`,
    );
    writeFileSync(join(dir, 'runbook.md'), '# Runbook\n\n## HamdamX\n');
    const url = `http://127.0.0.1:${server.address().port}/metrics`;
    const args = [SCRIPT, '--dashboard', join(dir, 'd.json'), '--rules', join(dir, 'r.yml')];
    args.push('--runbook', join(dir, 'runbook.md'), '--metrics-url', url);
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    const code = await new Promise((r) => child.on('close', r));
    return { code, stderr };
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the CLI passes when every hamdam metric is exported', async () => {
  const { code, stderr } = await runCli(
    '# TYPE hamdam_updates_total counter\nhamdam_updates_total{type="message",outcome="ok"} 1\n',
    'sum(rate(hamdam_updates_total[5m]))',
  );
  assert.equal(code, 0, stderr);
});

test('the CLI fails on a hamdam metric the workers do not export', async () => {
  const { code, stderr } = await runCli(
    '# TYPE hamdam_updates_total counter\n',
    'max(hamdam_outbox_depth) + sum(rate(hamdam_updates_total[5m]))',
  );
  assert.equal(code, 1);
  assert.match(stderr, /hamdam_outbox_depth is not exported/);
  assert.doesNotMatch(stderr, /hamdam_updates_total is not exported/);
});

test('the CLI fails on a name outside the agreed list', async () => {
  const { code, stderr } = await runCli(
    '# TYPE hamdam_update_total counter\n',
    'sum(rate(hamdam_update_total[5m]))',
  );
  assert.equal(code, 1);
  assert.match(stderr, /hamdam_update_total is not an agreed hamdam metric/);
});
