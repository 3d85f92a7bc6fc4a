import fp from 'fastify-plugin';
import { PLUGINS } from '../plugins/decorations.js';

export interface HealthOptions {
  /** Each check throws when its dependency is out of reach; any failing makes the worker unready. */
  readonly readiness: Readonly<Record<string, () => Promise<void>>>;
  /** Reported in /readyz but not required (a soft dependency); may answer a status other than ok. */
  readonly informational?: Readonly<Record<string, () => Promise<string | void>>>;
}

/**
 * /healthz: the process is alive. /readyz: its stores answer. /metrics: Prometheus text.
 * nginx exposes only the webhook path; these are for the host's own monitoring.
 */
export const healthRoutes = fp<HealthOptions>(
  async (app, { readiness, informational = {} }) => {
    app.get('/healthz', async () => ({ status: 'ok', pid: process.pid }));

    app.get('/readyz', async (_request, reply) => {
      const checks: Record<string, string> = {};
      let ready = true;
      const required = new Set(Object.keys(readiness));
      await Promise.all(
        Object.entries({ ...informational, ...readiness }).map(async ([name, check]) => {
          try {
            checks[name] = (await withTimeout(check(), 2_000)) ?? 'ok';
          } catch {
            checks[name] = 'unreachable';
            if (required.has(name)) ready = false;
          }
        }),
      );
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', checks });
    });

    app.get('/metrics', async (_request, reply) => {
      const body = await app.metrics.registry.metrics();
      return reply.type(app.metrics.registry.contentType).send(body);
    });
  },
  { name: 'hamdam-health', dependencies: [PLUGINS.metrics] },
);

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
