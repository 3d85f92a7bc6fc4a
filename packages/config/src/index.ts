// Configuration of hamdam: one schema, validated once at boot.
export { loadConfig, ConfigError, CONFIG_VARIABLES, LOG_LEVELS } from './config.js';
export type { Config, ConfigVariable, Env, LogLevel } from './config.js';
