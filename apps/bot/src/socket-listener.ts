import { chmod, rm } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import { join } from 'node:path';
import type { Config } from '@hamdam/config';

/** The Unix socket worker `index` takes webhook requests on, in HTTP_SOCKET_DIR (nginx's upstream). */
export function workerSocketPath(dir: string, index: number): string {
  return join(dir, `worker-${index}.sock`);
}

/** Where worker `index` of this configuration also listens: null without HTTP_SOCKET_DIR. */
export function workerSocket(config: Config, index: number): string | null {
  const dir = config.http.socketDir;
  return dir === null ? null : workerSocketPath(dir, index);
}

/** The worker's HTTP timeouts, the same on its port and on its socket (see createServer in app.ts). */
export const HTTP_TIMEOUTS = {
  /** Telegram posts at most max_connections requests at once; anything slower is stuck. */
  connectionTimeout: 30_000,
  requestTimeout: 30_000,
  /** Longer than nginx's upstream keepalive_timeout, so nginx closes idle connections first. */
  keepAliveTimeout: 75_000,
} as const;

/**
 * A second door to the same app: an HTTP server on a Unix socket, for nginx on this host
 * (no TCP stack between them). A socket file a dead process left is replaced. The socket
 * gets the reach of the loopback port (mode 666): any local user may connect to either.
 * Closing the server removes the file by its name (libuv unlinks it), so a worker's
 * replacement must bind only after the old one closed: the supervisor's rolling restart stops
 * a slot before it starts its next worker.
 */
export async function listenOnSocket(handler: RequestListener, path: string): Promise<Server> {
  await rm(path, { force: true });
  const server = createServer(handler);
  server.setTimeout(HTTP_TIMEOUTS.connectionTimeout);
  server.requestTimeout = HTTP_TIMEOUTS.requestTimeout;
  server.keepAliveTimeout = HTTP_TIMEOUTS.keepAliveTimeout;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  await chmod(path, 0o666);
  return server;
}

/** How long a closing socket waits for the requests in flight. */
const GRACE_MS = 10_000;

/**
 * Stops taking connections on the socket and waits (at most GRACE_MS) for the requests in
 * flight: each connection closes as soon as it is idle (nginx keeps them alive), and whatever
 * is left after the grace is cut.
 */
export async function stopTakingRequests(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const idle = setInterval(() => server.closeIdleConnections(), 50);
  let grace: NodeJS.Timeout | undefined;
  await Promise.race([closed, new Promise((resolve) => (grace = setTimeout(resolve, GRACE_MS)))]);
  clearInterval(idle);
  clearTimeout(grace);
  server.closeAllConnections();
}
