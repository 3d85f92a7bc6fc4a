import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
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
    measured('capacity'),
  ];
  return `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |\n`;
}

/** Appends the run to the committed summary, creating it with its header if needed. */
export function appendSummary(path: string, report: RunReport, stamp: string): void {
  if (!existsSync(path)) writeFileSync(path, HEADER);
  appendFileSync(path, summaryRow(report, stamp));
}
