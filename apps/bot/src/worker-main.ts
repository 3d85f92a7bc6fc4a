// Entry of one worker process started by the supervisor: listens on PORT + WORKER_INDEX (and
// on HTTP_SOCKET_DIR/worker-<WORKER_INDEX>.sock when set).
import { configFromEnv } from './env.js';
import { createLogger } from './logger.js';
import { workerSocket } from './socket-listener.js';
import { READY_MESSAGE } from './supervisor.js';
import { startWorker, type RunningWorker } from './worker.js';

const config = configFromEnv();
const logger = createLogger(config.logLevel, { worker: config.workerIndex });
let worker: RunningWorker | null = null;
let stopping = false;

async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => process.exit(1), 25_000);
  force.unref();
  await worker?.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
// The supervisor going away (its IPC channel closes) means this worker should too.
process.on('disconnect', () => void shutdown());

try {
  const index = config.workerIndex;
  worker = await startWorker(config, logger, config.http.port + index, workerSocket(config, index));
  logger.info({ url: worker.url }, 'worker listening');
  process.send?.(READY_MESSAGE);
} catch (err) {
  logger.fatal({ err }, 'worker could not start');
  process.exit(1);
}
