// `npm start`: the embedded default (one process), or the supervisor of WORKERS workers.
import { fileURLToPath } from 'node:url';
import type { Config } from '@hamdam/config';
import type { Emulator } from '@hamdam/emulator';
import { BotApi } from '@hamdam/telegram';
import { childEnv, configFromEnv } from './env.js';
import { createLogger } from './logger.js';
import { Supervisor } from './supervisor.js';
import { startWorker, type RunningWorker } from './worker.js';
import { workerSocket } from './socket-listener.js';

let config: Config = configFromEnv();
const logger = createLogger(config.logLevel, {
  role: config.workers > 1 ? 'supervisor' : 'worker',
});
let emulator: Emulator | null = null;
let worker: RunningWorker | null = null;
let supervisor: Supervisor | null = null;

async function main(): Promise<void> {
  if (config.emulator.embedded) {
    // Loaded only when it runs: a production start with a real token never imports it.
    const { createEmulator } = await import('@hamdam/emulator');
    emulator = createEmulator({
      token: config.telegram.token,
      port: config.emulator.port,
      logger: false,
    });
    const apiRoot = await emulator.listen();
    config = Object.freeze({ ...config, telegram: Object.freeze({ ...config.telegram, apiRoot }) });
  }
  let webhookOrigin: string;
  /** The workers' own addresses that answer: health, readiness and metrics live there. */
  let workerOrigins: string[];
  if (config.workers > 1) {
    supervisor = new Supervisor({
      workers: config.workers,
      entry: fileURLToPath(new URL('./worker-main.js', import.meta.url)),
      // Every worker checks the secret the webhook is registered with: without WEBHOOK_SECRET
      // the one drawn here is handed down, not one per process.
      env: childEnv({
        BOT_API_ROOT: config.telegram.apiRoot,
        WEBHOOK_SECRET: config.webhook.secret,
      }),
      logger,
    });
    const ready = await supervisor.start();
    const origin = (i: number) => `http://${config.http.host}:${config.http.port + i}`;
    workerOrigins = ready.map(origin);
    if (ready.length === config.workers) {
      logger.info({ workers: config.workers, firstPort: config.http.port }, 'workers listening');
    } else {
      logger.error(
        { workers: config.workers, ready: ready.length },
        'not every worker started; the others are restarted with backoff (see their errors above)',
      );
    }
    // The first worker's own port, or where the operator's nginx listens.
    webhookOrigin = config.webhook.publicUrl ?? origin(0);
  } else {
    worker = await startWorker(config, logger, config.http.port, workerSocket(config, 0));
    webhookOrigin = worker.url;
    workerOrigins = [worker.url];
    if (!emulator) logger.info({ url: worker.url }, 'worker listening');
  }
  if (emulator) {
    // In production the webhook is registered once by `npm run set-webhook`, not per start.
    const api = new BotApi({ token: config.telegram.token, apiRoot: config.telegram.apiRoot });
    await api.setWebhook({
      url: `${webhookOrigin}${config.webhook.path}`,
      secret_token: config.webhook.secret,
      max_connections: config.webhook.maxConnections,
    });
    await api.close();
    process.stdout.write(
      [
        '',
        'hamdam is running against the Bot API emulator.',
        `  Playground: ${emulator.url}/  (open it in a browser, create two users, chat)`,
        `  Webhook:    ${webhookOrigin}${config.webhook.path}`,
        ...workerOrigins.map(
          (o, i) => `  ${i === 0 ? 'Health:    ' : '           '} ${o}/healthz, /readyz, /metrics`,
        ),
        '  Stop with Ctrl+C.',
        '',
      ].join('\n'),
    );
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
  }, 40_000);
  force.unref();
  await Promise.all([worker?.close(), supervisor?.stop()]);
  await emulator?.close();
  process.exit(0);
}

process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGHUP', () => {
  if (!supervisor || stopping) return;
  logger.info('SIGHUP: rolling restart');
  supervisor
    .rollingRestart()
    .catch((err: unknown) => logger.error({ err }, 'rolling restart failed'));
});

main().catch((err: unknown) => {
  logger.fatal({ err }, 'could not start');
  process.exit(1);
});
