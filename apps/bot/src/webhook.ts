import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Telegraf } from 'telegraf';
import { StoreUnavailableError } from '@hamdam/store';
import type { Metrics } from './metrics.js';
import { checkUpdate, updateType } from './update-shape.js';

export interface WebhookOptions {
  readonly path: string;
  readonly secret: string;
  readonly bodyLimitBytes: number;
  readonly router: Telegraf;
  readonly metrics: Metrics;
  /** Called after an update committed, so the local dispatcher sends at once. */
  readonly onHandled: () => void;
}

/** Seconds Telegram is asked to wait before redelivering when the state store is down. */
const RETRY_AFTER_SECONDS = 5;

/**
 * The webhook route. Answers: 401 wrong or missing secret (checked before the body is read),
 * 413 body over the limit, 400 not JSON or not an update, 503 when the state store is out of
 * reach (so Telegram redelivers), 200 otherwise, handler errors included: a failing update
 * must not block its chat's queue at Telegram.
 */
export function registerWebhook(app: FastifyInstance, options: WebhookOptions): void {
  const expected = digest(options.secret);
  const { router, metrics } = options;

  app.post(
    options.path,
    {
      bodyLimit: options.bodyLimitBytes,
      onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
        const given = request.headers['x-telegram-bot-api-secret-token'];
        if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
          metrics.updates.inc({ type: 'unknown', outcome: 'unauthorized' });
          await reply.code(401).send({ error: 'unauthorized' });
        }
      },
    },
    async (request, reply) => {
      const end = metrics.updateDuration.startTimer();
      const checked = checkUpdate(request.body);
      if ('problem' in checked) {
        metrics.updates.inc({ type: 'unknown', outcome: 'invalid' });
        end();
        return reply.code(400).send({ error: checked.problem });
      }
      const { update } = checked;
      const type = updateType(update);
      try {
        await router.handleUpdate(update);
        metrics.updates.inc({ type, outcome: 'ok' });
        options.onHandled();
        return await reply.code(200).send();
      } catch (err) {
        const cause = err instanceof Error && err.cause !== undefined ? err.cause : err;
        if (cause instanceof StoreUnavailableError) {
          metrics.updates.inc({ type, outcome: 'unavailable' });
          request.log.error({ update_id: update.update_id, err: cause }, 'state store unavailable');
          return reply.code(503).header('retry-after', RETRY_AFTER_SECONDS).send();
        }
        metrics.updates.inc({ type, outcome: 'error' });
        request.log.error({ update_id: update.update_id, err }, 'update failed');
        return reply.code(200).send();
      } finally {
        end();
      }
    },
  );
}

/** Hashing first gives both sides one length, so the comparison leaks neither content nor size. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
