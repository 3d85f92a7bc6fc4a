// The machine's ceiling: WORKERS processes of a fastify app whose webhook answers 200 at
// once, started on the same ports as the bot, so the load test can put the same nginx and
// request shape in front of it and report the bot's throughput as a share of this.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { childEnv, configFromEnv } from '../env.js';
import { listenOnSocket, workerSocket } from '../socket-listener.js';

const config = configFromEnv();
// Forked children have an IPC channel; the process started by hand or by the load test has not.
if (!process.send) {
  const children = Array.from({ length: config.workers }, (_, i) =>
    fork(fileURLToPath(import.meta.url), [], { env: childEnv({ WORKER_INDEX: String(i) }) }),
  );
  const stop = () => {
    for (const child of children) child.kill('SIGTERM');
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  const app = Fastify({ bodyLimit: config.webhook.bodyLimitBytes });
  app.post(config.webhook.path, async (_request, reply) => reply.code(200).send());
  app.get('/healthz', async () => ({ status: 'ok', pid: process.pid }));
  await app.listen({ host: config.http.host, port: config.http.port + config.workerIndex });
  // The same door as the bot's workers: nginx reaches them on their sockets when they have any.
  const socket = workerSocket(config, config.workerIndex);
  if (socket) await listenOnSocket((req, res) => app.routing(req, res), socket);
  process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
  process.on('disconnect', () => process.exit(0));
}
