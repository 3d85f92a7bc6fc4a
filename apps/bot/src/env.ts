// The only module that reads process.env: entry points take their configuration from here.
import { ConfigError, loadConfig, type Config } from '@hamdam/config';

/** Loads the configuration or exits with every problem listed. */
export function configFromEnv(overrides: Record<string, string> = {}): Config {
  try {
    return loadConfig({ ...process.env, ...overrides });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`hamdam: ${err.message}\n`);
    process.exit(1);
  }
}

/** The environment handed to worker processes, with the supervisor's additions. */
export function childEnv(overrides: Record<string, string>): Record<string, string | undefined> {
  return { ...process.env, ...overrides };
}
