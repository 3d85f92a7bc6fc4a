import { ControlError } from './api-error.js';

/**
 * Strict reader for control API JSON bodies: typed getters with limits, and
 * `done()` rejects unknown fields so a typo in a test fails loudly instead of
 * being silently ignored.
 */
export class BodyReader {
  readonly #body: Readonly<Record<string, unknown>>;
  readonly #where: string;
  readonly #seen = new Set<string>();

  constructor(body: unknown, where = 'body') {
    if (body === undefined || body === null) body = {};
    if (typeof body !== 'object' || Array.isArray(body))
      throw invalid(`${where} must be a JSON object`);
    this.#body = body as Record<string, unknown>;
    this.#where = where;
  }

  optionalString(name: string, min: number, max: number, pattern?: RegExp): string | undefined {
    const value = this.#take(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw this.#error(name, 'must be a string');
    if (value.length < min || value.length > max)
      throw this.#error(name, `must be ${min}-${max} characters long`);
    if (pattern !== undefined && !pattern.test(value))
      throw this.#error(name, `must match ${String(pattern)}`);
    return value;
  }

  string(name: string, min: number, max: number): string {
    const value = this.optionalString(name, min, max);
    if (value === undefined) throw this.#error(name, 'is required');
    return value;
  }

  optionalInt(name: string, min: number, max: number): number | undefined {
    const value = this.#take(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isSafeInteger(value))
      throw this.#error(name, 'must be an integer');
    if (value < min || value > max) throw this.#error(name, `must be between ${min} and ${max}`);
    return value;
  }

  int(name: string, min: number, max: number): number {
    const value = this.optionalInt(name, min, max);
    if (value === undefined) throw this.#error(name, 'is required');
    return value;
  }

  optionalBool(name: string): boolean | undefined {
    const value = this.#take(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') throw this.#error(name, 'must be a boolean');
    return value;
  }

  bool(name: string): boolean {
    const value = this.optionalBool(name);
    if (value === undefined) throw this.#error(name, 'is required');
    return value;
  }

  /** Lets a field be read by someone else without counting as unknown. */
  skip(name: string): void {
    this.#seen.add(name);
  }

  /** The raw value, for fields that take more than one shape; null counts as absent. */
  optionalValue(name: string): unknown {
    return this.#take(name);
  }

  optionalNumber(name: string, min: number, max: number): number | undefined {
    const value = this.#take(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw this.#error(name, 'must be a number');
    if (value < min || value > max) throw this.#error(name, `must be between ${min} and ${max}`);
    return value;
  }

  number(name: string, min: number, max: number): number {
    const value = this.optionalNumber(name, min, max);
    if (value === undefined) throw this.#error(name, 'is required');
    return value;
  }

  optionalArray(name: string): unknown[] | undefined {
    const value = this.#take(name);
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw this.#error(name, 'must be an array');
    return value as unknown[];
  }

  done(): void {
    for (const key of Object.keys(this.#body)) {
      if (!this.#seen.has(key)) throw invalid(`${this.#where}: unknown field "${key}"`);
    }
  }

  #take(name: string): unknown {
    this.#seen.add(name);
    if (!Object.hasOwn(this.#body, name)) return undefined;
    const value = this.#body[name];
    return value === null ? undefined : value;
  }

  #error(name: string, problem: string): ControlError {
    return invalid(`${this.#where}: ${name} ${problem}`);
  }
}

function invalid(message: string): ControlError {
  return new ControlError(400, message);
}
