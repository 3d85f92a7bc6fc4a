import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { RunReport } from './run-report.js';

const HEADER = `# Load-test runs: summary

The committed record of the runs \`docs/performance.md\` quotes. Full reports (JSON, Markdown,
HTML with charts) are written to \`loadtest/reports/\`, which git ignores. Every \`npm run loadtest\`
run appends its row below; delete rows of runs that only tested the harness.

| run | command | users held | lost / dup / misrouted | webhook p99 | relay p99 | match wait p99 | RSS per worker | bot ÷ ceiling | capacity (relay p99 < 250 ms) |
|---|---|---|---|---|---|---|---|---|---|
`;

/** One line of the summary: the run's stamp, its command, and every target's measured value. */
export function summaryRow(report: RunReport, stamp: string): string {
  const measured = (name: string) =>
    report.targets.find((t) => t.name.startsWith(name))?.measured ?? '–';
  const cells = [
    stamp,
    `\`${report.command}\``,
    measured('users held'),
    measured('lost / duplicated / misrouted'),
    measured('webhook p99'),
    measured('relay p99'),
    measured('match wait p99'),
    measured('RSS per worker'),
    measured('bot ÷ ceiling'),
    report.targets
      .filter((t) => t.name.startsWith('capacity'))
      .map((t) => `${t.name.split(' ')[1]} ${t.measured}`)
      .join(', ') || '–',
  ];
  return `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |\n`;
}

const PROFILES_HEADER = `# Load-test runs: profiles

The committed summary of each run made with \`--profile\` (the profiles themselves stay in
\`loadtest/reports/\`): the workers' busy time over the measured window by package and by the
hamdam function nearest the top of the stack, GC's share, and what a relayed message costs.

| run | command | busy, % of a core per worker | GC share of busy | busiest packages | busiest hamdam functions | per relayed: Redis round trips / Bot API calls | per relayed: Lua calls / Redis commands / Lua µs |
|---|---|---|---|---|---|---|---|
`;

/** One line of the profiles' summary; null for a run without a profile. */
export function profileRow(report: RunReport, stamp: string): string | null {
  const p = report.profile;
  const b = report.blackBox;
  if (!p || !b) return null;
  const pct = (share: number) => `${Math.round(share * 1000) / 10} %`;
  const r = b.roundTrips;
  const commands = r.relayed > 0 ? Math.round((b.redis.commands / r.relayed) * 10) / 10 : 0;
  const cells = [
    stamp,
    `\`${report.command}\``,
    `${p.busyPercentOfCore} %`,
    pct(p.gcShare),
    p.packages
      .slice(0, 5)
      .map((x) => `${x.name} ${pct(x.share)}`)
      .join(', '),
    p.functions
      .slice(0, 5)
      .map((f) => `${f.name} (${basename(f.where)}) ${pct(f.share)}`)
      .join(', '),
    `${r.redisPerRelayed} / ${r.botApiPerRelayed}`,
    `${b.redis.luaCallsPerRelayed} / ${commands} / ${b.redis.usPerRelayed}`,
  ];
  return `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |\n`;
}

/**
 * Appends the run to the committed summary, creating it with its header if needed; a profiled
 * run also gets a row in PROFILES.md beside it.
 */
export function appendSummary(path: string, report: RunReport, stamp: string): void {
  if (!existsSync(path)) writeFileSync(path, HEADER);
  appendFileSync(path, summaryRow(report, stamp));
  const row = profileRow(report, stamp);
  if (row === null) return;
  const profiles = join(dirname(path), 'PROFILES.md');
  if (!existsSync(profiles)) writeFileSync(profiles, PROFILES_HEADER);
  appendFileSync(profiles, row);
}
