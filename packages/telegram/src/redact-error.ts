import { inspect } from 'node:util';

// The token is in every request path. undici's errors do not quote the path today, but a
// cause is logged with its whole tree, so anything that mentions the token is replaced by
// a plain copy with the token masked instead of trusting a dependency's wording forever.

const MASK = '<token>';

export function redactError(error: unknown, token: string): Error {
  if (error instanceof Error && !inspect(error, { depth: 4 }).includes(token)) return error;
  const source = error instanceof Error ? error : new Error(String(error));
  const copy = new Error(source.message.replaceAll(token, MASK));
  copy.name = source.name.replaceAll(token, MASK);
  const code = (source as { code?: unknown }).code;
  if (typeof code === 'string' && !code.includes(token)) {
    Object.defineProperty(copy, 'code', { value: code, enumerable: true });
  }
  copy.stack = `${copy.name}: ${copy.message}\n    (stack dropped: it mentioned the bot token)`;
  return copy;
}
