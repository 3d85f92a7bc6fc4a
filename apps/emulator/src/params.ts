import { badRequest, type ApiError } from './api-error.js';

const INTEGER = /^-?\d{1,16}$/;

/**
 * Typed, validating access to Bot API parameters. Values arrive either typed
 * (JSON body) or as strings (query string, form encoding), so every getter
 * accepts both, as Telegram does.
 */
export class Params {
  readonly #raw: Readonly<Record<string, unknown>>;

  constructor(raw: Readonly<Record<string, unknown>>) {
    this.#raw = raw;
  }

  has(name: string): boolean {
    return this.#get(name) !== undefined;
  }

  /** Raw value, for fault matching, which must never throw. */
  peek(name: string): unknown {
    return this.#get(name);
  }

  int(name: string, min: number, max: number): number {
    const value = this.optionalInt(name, min, max);
    if (value === undefined) throw missing(name);
    return value;
  }

  optionalInt(name: string, min: number, max: number): number | undefined {
    const value = this.#get(name);
    if (value === undefined) return undefined;
    const parsed = toInteger(value);
    if (parsed === undefined) throw badRequest(`invalid ${name}: expected an integer`);
    if (parsed < min || parsed > max) throw badRequest(`${name} must be between ${min} and ${max}`);
    return parsed;
  }

  /** chat_id is "Integer or String"; only numeric ids can name a private chat. */
  chatId(name = 'chat_id'): number {
    const value = this.#get(name);
    if (value === undefined || value === '') throw missing(name);
    const parsed = toInteger(value);
    if (parsed === undefined) throw badRequest('chat not found');
    return parsed;
  }

  string(name: string): string {
    const value = this.optionalString(name);
    if (value === undefined) throw missing(name);
    return value;
  }

  optionalString(name: string): string | undefined {
    const value = this.#get(name);
    if (value === undefined) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw badRequest(`invalid ${name}: expected a string`);
  }

  optionalBool(name: string): boolean | undefined {
    const value = this.#get(name);
    if (value === undefined) return undefined;
    if (typeof value === 'boolean') return value;
    if (value === 1 || value === 0) return value === 1;
    if (typeof value === 'string') {
      const lower = value.toLowerCase();
      if (lower === 'true' || lower === '1') return true;
      if (lower === 'false' || lower === '0' || lower === '') return false;
    }
    throw badRequest(`invalid ${name}: expected a boolean`);
  }

  /** JSON-valued parameters may arrive pre-parsed (JSON body) or as a JSON string. */
  optionalJson(name: string, parseError: () => ApiError): unknown {
    const value = this.#get(name);
    if (typeof value !== 'string') return value;
    if (value === '') return undefined;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw parseError();
    }
  }

  #get(name: string): unknown {
    if (!Object.hasOwn(this.#raw, name)) return undefined;
    const value = this.#raw[name];
    return value === null ? undefined : value;
  }
}

export function toInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && INTEGER.test(value)) {
    const parsed = Number(value);
    return Number.isSafeInteger(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** Telegram's wording where it is known, otherwise "<param> is required". */
function missing(name: string): ApiError {
  if (name === 'chat_id') return badRequest('chat_id is empty');
  if (name === 'text') return badRequest('message text is empty');
  return badRequest(`${name} is required`);
}
