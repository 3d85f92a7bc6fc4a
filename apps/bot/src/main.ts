// `npm start`: the embedded default, or one worker of the scaled topology.
import type { Config } from '@hamdam/config';
import { createEmulator, type Emulator } from '@hamdam/emulator';
import { BotApi } from '@hamdam/telegram';
import { configFromEnv } from './env.js';
import { createLogger } from './logger.js';
import { startWorker, type RunningWorker } from './worker.js';

let config: Config = configFromEnv();

const logger = createLogger(config.logLevel);
let emulator: Emulator | null = null;
let worker: RunningWorker | null = null;

async function main(): Promise<void> {
  if (config.emulated) {
    emulator = createEmulator({
      token: config.telegram.token,
      port: config.emulator.port,
      logger: false,
    });
    const apiRoot = await emulator.listen();
    config = Object.freeze({ ...config, telegram: Object.freeze({ ...config.telegram, apiRoot }) });
  }
  worker = await startWorker(config, logger, config.http.port);
  if (emulator) {
    // In production the webhook is registered once by `npm run set-webhook`, not per worker.
    const api = new BotApi({ token: config.telegram.token, apiRoot: config.telegram.apiRoot });
    await api.setWebhook({
      url: `${worker.url}${config.webhook.path}`,
      secret_token: config.webhook.secret,
      max_connections: config.webhook.maxConnections,
    });
    await api.close();
    process.stdout.write(
      [
        '',
        'hamdam is running with embedded stores and the Bot API emulator.',
        `  Playground: ${emulator.url}/  (open it in a browser, create two users, chat)`,
        `  Worker:     ${worker.url}  (/healthz, /readyz, /metrics)`,
        '  Stop with Ctrl+C.',
        '',
      ].join('\n'),
    );
  } else {
    logger.info({ url: worker.url, workers: config.workers }, 'worker listening');
  }
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => {
    logger.error('shutdown took too long, exiting');
    process.exit(1);
  }, 25_000);
  force.unref();
  await worker?.close();
  await emulator?.close();
  process.exit(0);
}

process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

main().catch((err: unknown) => {
  logger.fatal({ err }, 'could not start');
  process.exit(1);
});
