// Configuration of hamdam: one schema, validated once at boot.
export { loadConfig, ConfigError, LOG_LEVELS } from './config.js';
export type { Config, LogLevel } from './config.js';
export type { Env } from './read-env.js';
export { ENV_SCHEMA, VARIABLE_NAMES } from './variables.js';
export type { ConfigVariable } from './variables.js';
export { renderConfigTable, renderEnvExample, withConfigTable } from './config-docs.js';
