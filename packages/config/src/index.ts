// Configuration of hamdam: one schema, validated once at boot.
export { loadConfig, ConfigError } from './config.js';
export type { Config } from './config.js';
export type { Env } from './read-env.js';
export { ENV_SCHEMA, VARIABLE_NAMES, LOG_LEVELS } from './variables.js';
export type {
  ConfigVariable,
  ConfiguredLimit,
  ConfiguredLimits,
  EnvValues,
  LogLevel,
} from './variables.js';
export { renderConfigTable, renderEnvExample, withConfigTable } from './config-docs.js';
