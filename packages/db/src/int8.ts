// Postgres int8 (bigint, bigserial, count(*)) arrives as text. Ids and counts are far below
// 2^53, so they become plain numbers; a value that would lose precision fails the query
// loudly instead of silently turning into a neighbouring id.

export const INT8_OID = 20;

export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`int8 value ${text} does not fit in a JavaScript number`);
  }
  return value;
}
