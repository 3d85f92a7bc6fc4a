// `npm run render:nginx`: writes the top-level nginx.conf from the same WORKERS, PORT,
// HTTP_SOCKET_DIR, WEBHOOK_PATH and BODY_LIMIT_BYTES the workers start with. The committed file is
// `WORKERS=8 npm run render:nginx` (the production host).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configFromEnv } from './env.js';
import { PRODUCTION_NGINX, renderNginx } from './nginx-config.js';

// Rendering needs only the topology numbers; "several workers need REDIS_URL and
// DATABASE_URL" is a rule for starting workers, so placeholders satisfy it here.
const config = configFromEnv({
  REDIS_URL: 'redis://render.invalid',
  DATABASE_URL: 'postgres://render.invalid/hamdam',
});
const target = fileURLToPath(new URL('../../../nginx.conf', import.meta.url));
writeFileSync(
  target,
  renderNginx({
    ...PRODUCTION_NGINX,
    workers: config.workers,
    firstPort: config.http.port,
    upstreamSocketDir: config.http.socketDir,
    webhookPath: config.webhook.path,
    bodyLimitBytes: config.webhook.bodyLimitBytes,
  }),
);
process.stdout.write(`wrote ${target} for ${config.workers} workers\n`);
