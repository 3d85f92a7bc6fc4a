import { createHash, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Update } from '@hamdam/telegram';
import { isDatabaseUnavailable } from '@hamdam/db';
import { StoreUnavailableError } from '@hamdam/store';
import { PLUGINS } from '../plugins/decorations.js';
import { UPDATE_SCHEMA, updateType } from './update-schema.js';

export interface WebhookOptions {
  readonly path: string;
  readonly secret: string;
  readonly bodyLimitBytes: number;
  /** Called after an update committed, so the local dispatcher sends at once. */
  readonly onHandled?: () => void;
}

/** Seconds Telegram is asked to wait before redelivering when a store is down. */
const RETRY_AFTER_SECONDS = 5;

/**
 * The webhook route. Answers: 401 wrong or missing secret (checked before the body is read),
 * 413 body over the limit, 400 not JSON or not an update (the route's schema), 503 when the
 * state store or the database is out of reach (so Telegram redelivers), 200 otherwise, bugs
 * included: a poisoned update must not block its chat's queue at Telegram forever.
 */
export const webhookRoute = fp<WebhookOptions>(
  async (app, options) => {
    const expected = digest(options.secret);
    const { metrics } = app;
    app.post(
      options.path,
      {
        bodyLimit: options.bodyLimitBytes,
        schema: { body: UPDATE_SCHEMA },
        onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
          const given = request.headers['x-telegram-bot-api-secret-token'];
          if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
            metrics.updates.inc({ type: 'other', outcome: 'unauthorized' });
            await reply.code(401).send({ error: 'unauthorized' });
          }
        },
        errorHandler: (error, _request, reply) => {
          // Only fastify's own refusals reach here: a body too large, not JSON, or not an update.
          const tooLarge = error.statusCode === 413;
          metrics.updates.inc({ type: 'other', outcome: tooLarge ? 'too_large' : 'invalid' });
          void reply
            .code(error.statusCode && error.statusCode < 500 ? error.statusCode : 400)
            .send({ error: error.message });
        },
      },
      async (request, reply) => {
        const end = metrics.updateDuration.startTimer();
        const update = request.body as Update;
        const type = updateType(update);
        try {
          await app.router.handleUpdate(update);
          metrics.updates.inc({ type, outcome: 'ok' });
          options.onHandled?.();
          return await reply.code(200).send();
        } catch (err) {
          const cause = err instanceof Error && err.cause !== undefined ? err.cause : err;
          const log = { update_id: update.update_id, err: cause };
          if (cause instanceof StoreUnavailableError || isDatabaseUnavailable(cause)) {
            const store = cause instanceof StoreUnavailableError ? 'state store' : 'database';
            metrics.updates.inc({ type, outcome: 'unavailable' });
            request.log.error(log, `${store} unavailable`);
            return reply.code(503).header('retry-after', RETRY_AFTER_SECONDS).send();
          }
          metrics.updates.inc({ type, outcome: 'error' });
          request.log.error(log, 'update failed');
          return reply.code(200).send();
        } finally {
          end();
        }
      },
    );
  },
  { name: 'hamdam-webhook', dependencies: [PLUGINS.metrics, PLUGINS.router] },
);

/** Hashing first gives both sides one length, so the comparison leaks neither content nor size. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
