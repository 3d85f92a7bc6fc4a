import { workerSocketPath } from './socket-listener.js';

/** What the nginx front needs to know; the same values the workers are started with. */
export interface NginxOptions {
  readonly workers: number;
  readonly firstPort: number;
  /** Where the workers listen. */
  readonly upstreamHost: string;
  /**
   * HTTP_SOCKET_DIR of the workers: nginx reaches worker i on its Unix socket there instead of
   * on its port; null: on the ports.
   */
  readonly upstreamSocketDir: string | null;
  readonly webhookPath: string;
  readonly bodyLimitBytes: number;
  /** Public TLS server (production). */
  readonly tls: {
    readonly port: number;
    readonly serverName: string;
    readonly certificate: string;
    readonly key: string;
  } | null;
  /** Plain HTTP listener on loopback, for tests and the load test. */
  readonly loopback: { readonly address: string } | null;
  readonly pidFile: string;
  /** Directory for nginx's temporary files; null keeps the distribution's defaults. */
  readonly tempDir: string | null;
  /** Files included inside http { } (the production host's loopback stub_status server). */
  readonly includes?: readonly string[];
}

export const PRODUCTION_NGINX = {
  workers: 8,
  firstPort: 3000,
  upstreamHost: '127.0.0.1',
  upstreamSocketDir: null,
  webhookPath: '/telegram/webhook',
  bodyLimitBytes: 262_144,
  tls: {
    port: 443,
    serverName: 'bot.example.org',
    certificate: '/etc/hamdam/tls/fullchain.pem',
    key: '/etc/hamdam/tls/privkey.pem',
  },
  loopback: { address: '127.0.0.1:8080' },
  pidFile: '/run/nginx-hamdam.pid',
  tempDir: null,
  // stub_status on 127.0.0.1:8090 for prometheus-nginx-exporter (docs/operations.md).
  includes: ['/opt/hamdam/infra/nginx/status.conf'],
} as const satisfies NginxOptions;

/**
 * Renders the whole nginx configuration. Only the webhook location reaches the workers:
 * /healthz, /readyz and /metrics stay on the workers' own ports for the host's monitoring.
 */
export function renderNginx(o: NginxOptions): string {
  const dir = o.upstreamSocketDir;
  const servers = Array.from(
    { length: o.workers },
    (_, i) =>
      `    server ${dir ? `unix:${workerSocketPath(dir, i)}` : `${o.upstreamHost}:${o.firstPort + i}`} max_fails=1 fail_timeout=2s;`,
  );
  const temp = o.tempDir
    ? ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
        .map((kind) => `  ${kind}_temp_path ${o.tempDir}/${kind};`)
        .join('\n') + '\n'
    : '';
  const webhook = `    location = ${o.webhookPath} {
      limit_except POST { deny all; }
      proxy_pass http://hamdam_workers;
      # Upstream keep-alive: HTTP/1.1 and no Connection header from the client.
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $remote_addr;
      # A worker that refuses the connection (restarting) is skipped; a POST that reached
      # a worker is never sent twice by nginx (Telegram redelivers on its own).
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 3;
      proxy_connect_timeout 1s;
      proxy_send_timeout 10s;
      proxy_read_timeout 55s;
    }

    location / {
      return 404;
    }`;
  const tls = o.tls
    ? `
  # Public server: Telegram posts here (ports 443, 80, 88 or 8443; TLS 1.2+).
  server {
    listen ${o.tls.port} ssl;
    server_name ${o.tls.serverName};
    ssl_certificate ${o.tls.certificate};
    ssl_certificate_key ${o.tls.key};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache shared:hamdam_tls:10m;
    # Optional defence in depth (Telegram's ranges may change; check its webhook guide):
    # allow 149.154.160.0/20; allow 91.108.4.0/22; deny all;

${webhook}
  }
`
    : '';
  const loopback = o.loopback
    ? `
  # Loopback listener: same routes without TLS, for tests and the load test.
  server {
    listen ${o.loopback.address};

${webhook}
  }
`
    : '';
  const doors = dir
    ? `sockets ${workerSocketPath(dir, 0)}-${o.workers - 1}`
    : `ports ${o.firstPort}-${o.firstPort + o.workers - 1}`;
  return `# Rendered by \`npm run render:nginx\` from apps/bot/src/nginx-config.ts: edit there, not here.
# Workers: ${o.workers}, ${doors}.
worker_processes auto;
pid ${o.pidFile};
error_log stderr warn;

events {
  worker_connections 4096;
}

http {
  access_log off;
  server_tokens off;
${temp}  # Bodies over the limit get 413 here, before any worker reads them.
  client_max_body_size ${o.bodyLimitBytes};
  client_body_buffer_size ${o.bodyLimitBytes};
  keepalive_timeout 65s;

  upstream hamdam_workers {
    least_conn;
${servers.join('\n')}
    keepalive 128;
    keepalive_requests 100000;
    keepalive_timeout 60s;
  }
${tls}${loopback}${(o.includes ?? []).map((file) => `\n  include ${file};\n`).join('')}}
`;
}
