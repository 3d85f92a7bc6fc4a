import type { FaultRow, FaultScale } from './fault-run.js';

export interface TableContext {
  readonly command: string;
  readonly when: string;
  readonly machine: string;
  readonly scale: FaultScale;
}

/** The suite's result as Markdown: one row per fault, then each row's own checks. */
export function renderTable(rows: readonly FaultRow[], c: TableContext): string {
  const s = c.scale;
  const lines = [
    `Run \`${c.command}\` on ${c.when.slice(0, 16).replace('T', ' ')} UTC (${c.machine}): ` +
      `${s.users} users chatting through nginx and two workers, ${s.measuredMs / 1000} s per row; ` +
      `outages ${s.outageMs / 1000} s (Postgres ${s.pgOutageMs / 1000} s); ${s.mutations} fuzz mutations.`,
    '',
    '| fault | sent | delivered | dropped by design | lost | duplicated | misrouted | out of order | late | recovery | relay p99 | result |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) =>
      [
        '',
        `**${r.name}**: ${r.fault}`,
        r.sent,
        r.delivered,
        r.dropped,
        r.lost,
        r.duplicated,
        r.misrouted,
        r.outOfOrder,
        r.late,
        r.recoveryS === null ? 'never' : `${r.recoveryS} s`,
        `${Math.round(r.relayP99Ms)} ms`,
        r.ok ? (r.window ? 'measured (window)' : 'pass') : 'FAIL',
        '',
      ]
        .join(' | ')
        .trim(),
    ),
  ];
  const checks = rows.flatMap((r) =>
    r.checks.map((k) => `- ${r.name}, ${k.what}: ${k.ok ? 'yes' : 'NO'} (${k.detail})`),
  );
  if (checks.length > 0) lines.push('', 'Checks beyond the ledger:', '', ...checks);
  const problems = rows.filter((r) => !r.ok);
  if (problems.length > 0)
    lines.push(
      '',
      'Failures:',
      '',
      ...problems.map((r) => `- ${r.name}: ${r.problems.join('; ')}`),
    );
  return lines.join('\n');
}
