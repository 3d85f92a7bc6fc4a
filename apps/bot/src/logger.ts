import { pino, type Logger } from 'pino';
import type { LogLevel } from '@hamdam/config';

/**
 * Logs name users by internal id only and never carry message contents, tokens or secrets.
 * Redaction is a second line of defence: code does not put those fields in logs at all.
 */
export function createLogger(level: LogLevel, bindings: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { pid: process.pid, ...bindings },
    redact: {
      paths: [
        'req.headers["x-telegram-bot-api-secret-token"]',
        'headers["x-telegram-bot-api-secret-token"]',
        'token',
        'secret',
        '*.token',
        '*.secret',
        'text',
        '*.text',
        'caption',
        '*.caption',
      ],
      censor: '[redacted]',
    },
  });
}
