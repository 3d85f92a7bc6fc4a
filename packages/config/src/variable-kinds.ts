import { Type, type TInteger, type TNumber, type TOptional, type TString } from '@sinclair/typebox';
import { STORE_LIMITS, type LimitName } from '@hamdam/store';

// How a variable of the schema (`variables.ts`) is declared: its documentation, and the
// TypeBox kinds it is built from. A variable without a default is optional.

export const GROUPS = [
  'Telegram',
  'Workers',
  'Shared state and database',
  'Sending',
  'Matchmaking and safety',
  'Embedded default',
] as const;
export type Group = (typeof GROUPS)[number];

export interface VariableDoc {
  /** What it means, for the README table. */
  readonly description: string;
  readonly group: Group;
  /** How the default reads in the docs when it is not a plain value (e.g. "one per core"). */
  readonly defaultText?: string;
  /** A value for `.env.example`, commented out. */
  readonly example?: string;
  /** Never echoed in an error. */
  readonly secret?: boolean;
  /** Read by the processes hamdam starts itself, not set by operators. */
  readonly internal?: boolean;
  /** How a bad value is described, for strings with a pattern. */
  readonly rule?: string;
  /** The store limit this variable sets. */
  readonly limit?: LimitName;
}

type StringVariableDoc = VariableDoc & { readonly pattern?: string };

export const int = (min: number, max: number, fallback: number, doc: VariableDoc) =>
  Type.Integer({ minimum: min, maximum: max, default: fallback, ...doc });
export const num = (min: number, max: number, fallback: number, doc: VariableDoc) =>
  Type.Number({ minimum: min, maximum: max, default: fallback, ...doc });

export function str(doc: StringVariableDoc & { readonly default: string }): TString;
export function str(doc: StringVariableDoc): TOptional<TString>;
export function str(
  doc: StringVariableDoc & { readonly default?: string },
): TString | TOptional<TString> {
  return doc.default === undefined ? Type.Optional(Type.String(doc)) : Type.String(doc);
}

export function url(
  protocols: readonly string[],
  doc: VariableDoc & { readonly default: string },
): TString;
export function url(protocols: readonly string[], doc: VariableDoc): TOptional<TString>;
export function url(
  protocols: readonly string[],
  doc: VariableDoc & { readonly default?: string },
): TString | TOptional<TString> {
  const schema = Type.String({ format: 'url', protocols, ...doc });
  return doc.default === undefined ? Type.Optional(schema) : schema;
}

/** The limits operators may set: those the store gives bounds for. */
type SettableLimit = {
  [K in LimitName]: (typeof STORE_LIMITS)[K] extends { readonly minimum: number } ? K : never;
}[LimitName];

/** A variable that sets a store limit: type, range and default are the store's. */
export function limit<K extends SettableLimit>(
  name: K,
  doc: Omit<VariableDoc, 'limit'>,
): (TInteger | TNumber) & { readonly limit: K } {
  const { type, ...range } = STORE_LIMITS[name];
  const options = { ...range, ...doc, limit: name };
  const schema = type === 'integer' ? Type.Integer(options) : Type.Number(options);
  return schema as (TInteger | TNumber) & { readonly limit: K };
}
