import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Telegraf } from 'telegraf';
import type { Metrics } from './metrics.js';
import { registerWebhook } from './webhook.js';

export interface AppOptions {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly router: Telegraf;
  readonly webhook: {
    readonly path: string;
    readonly secret: string;
    readonly bodyLimitBytes: number;
  };
  /** Each check throws when its dependency is out of reach. */
  readonly readiness: Readonly<Record<string, () => Promise<void>>>;
  readonly onHandled: () => void;
}

/**
 * Builds the worker's HTTP app without listening, so tests drive it with `inject()`.
 * /healthz: the process is alive. /readyz: its stores answer. /metrics: Prometheus text.
 * nginx exposes only the webhook path; the rest is for the host's own monitoring.
 */
export function buildApp(options: AppOptions): FastifyInstance {
  const app = Fastify({
    // Without the widening, fastify infers its instance type from pino's Logger, which then
    // fails to match FastifyInstance under exactOptionalPropertyTypes.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    loggerInstance: options.logger as FastifyBaseLogger,
    // One log line per update at 1,000+ updates/s is noise; failures are logged where they happen.
    logController: new LogController({ disableRequestLogging: true }),
    // Telegram posts at most max_connections requests at once; anything slower than this is
    // a stuck request, and Telegram itself gives up after 60 s.
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
    // Longer than nginx's upstream keepalive_timeout, so nginx closes idle connections first.
    keepAliveTimeout: 75_000,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });

  registerWebhook(app, {
    ...options.webhook,
    router: options.router,
    metrics: options.metrics,
    onHandled: options.onHandled,
  });

  app.get('/healthz', async () => ({ status: 'ok', pid: process.pid }));

  app.get('/readyz', async (_request, reply) => {
    const checks: Record<string, string> = {};
    let ready = true;
    await Promise.all(
      Object.entries(options.readiness).map(async ([name, check]) => {
        try {
          await withTimeout(check(), 2_000);
          checks[name] = 'ok';
        } catch {
          checks[name] = 'unreachable';
          ready = false;
        }
      }),
    );
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
  });

  app.get('/metrics', async (_request, reply) => {
    const body = await options.metrics.registry.metrics();
    return reply.type(options.metrics.registry.contentType).send(body);
  });

  return app;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
