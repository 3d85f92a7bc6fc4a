/**
 * Rows a batch write puts in one statement: far below Postgres's 65,535-parameter limit at the
 * ten parameters a row the widest of them binds.
 */
export const ROWS_PER_STATEMENT = 1_000;

/** The rows in runs of at most ROWS_PER_STATEMENT, in order. */
export function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    out.push(rows.slice(i, i + ROWS_PER_STATEMENT));
  }
  return out;
}
