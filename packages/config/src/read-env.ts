import { FormatRegistry, Kind, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import {
  VARIABLE_NAMES,
  variableSchema,
  type ConfigVariable,
  type EnvValues,
  type VariableSchema,
} from './variables.js';

export type Env = Readonly<Partial<Record<string, string>>>;

// A URL of one of the protocols its schema lists; the list is checked by `readVariable`.
if (!FormatRegistry.Has('url')) {
  FormatRegistry.Set('url', (value) => URL.canParse(value));
}

/**
 * Reads every variable against the schema, adding a problem for each bad one (which then counts
 * as unset): the result has the schema's static type.
 */
export function readEnv(env: Env, problems: string[]): EnvValues {
  const values: Partial<Record<ConfigVariable, unknown>> = {};
  for (const name of VARIABLE_NAMES) {
    const value = readVariable(env, name, problems);
    if (value !== undefined) values[name] = value;
  }
  // Each value passed its own schema, or is its default; the optional ones may be absent.
  return values as EnvValues;
}

/**
 * Reads one variable against its schema: unset or blank gives its default (undefined when it has
 * none), a valid value its typed form, and a bad one a problem (the value echoed only when not
 * a secret).
 */
function readVariable(env: Env, name: ConfigVariable, problems: string[]): unknown {
  const schema = variableSchema(name);
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return schema.default;
  const value = convert(schema, raw);
  if (value !== undefined && Value.Check(schema, value) && protocolOk(schema, raw)) {
    return schema['format'] === 'url' ? raw.replace(/\/+$/, '') : value;
  }
  // Never echo a secret: an error message ends up in logs.
  const got = schema.secret ? '' : `, got "${raw}"`;
  problems.push(`${name} ${describe(schema)}${got}`);
  return schema.default;
}

function convert(schema: TSchema, raw: string): unknown {
  switch (schema[Kind]) {
    case 'Integer':
      return /^-?\d+$/.test(raw) ? Number(raw) : undefined;
    case 'Number': {
      const n = Number(raw);
      return Number.isFinite(n) ? n : undefined;
    }
    default:
      return raw;
  }
}

function protocolOk(schema: VariableSchema, raw: string): boolean {
  const protocols = schema['protocols'] as readonly string[] | undefined;
  return protocols === undefined || protocols.includes(new URL(raw).protocol);
}

/** What a valid value looks like, from the schema itself. */
export function describe(schema: VariableSchema): string {
  if (schema.rule) return schema.rule;
  switch (schema[Kind]) {
    case 'Integer':
      return `must be a whole number from ${schema['minimum']} to ${schema['maximum']}`;
    case 'Number':
      return `must be a number from ${schema['minimum']} to ${schema['maximum']}`;
    case 'Union':
      return `must be one of ${(schema['anyOf'] as { const: string }[]).map((s) => s.const).join(', ')}`;
    default:
      if (schema['format'] === 'url') {
        return `must be a URL (${(schema['protocols'] as string[]).join(' or ')})`;
      }
      return 'is not valid';
  }
}
