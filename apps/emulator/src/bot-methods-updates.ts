import { badRequest, conflict } from './api-error.js';
import { RawJson, type MethodHandler } from './bot-method.js';
import type { EmulatorState } from './emulator-state.js';
import type { Params } from './params.js';

const SECRET_TOKEN = /^[A-Za-z0-9_-]+$/;
const WEBHOOK_ACTIVE =
  "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
const MAX_POLL_TIMEOUT_S = 3_600;

export const getMe: MethodHandler = (state) => state.bot;

export const setWebhook: MethodHandler = (state, params) => {
  const url = params.optionalString('url') ?? '';
  const secret = params.optionalString('secret_token');
  const maxConnections = params.optionalInt('max_connections', 1, 100) ?? 40;
  const allowed = readAllowedUpdates(params);
  const drop = params.optionalBool('drop_pending_updates') === true;
  // An empty url removes the webhook, as in Telegram.
  if (url === '') {
    const existed = state.deleteWebhook(drop);
    return new RawJson('true', existed ? 'Webhook was deleted' : 'Webhook is already deleted');
  }
  if (!isHttpUrl(url)) throw badRequest('bad webhook: Wrong HTTP URL specified');
  if (secret !== undefined) {
    if (secret.length > 256) throw badRequest('secret token is too long');
    if (!SECRET_TOKEN.test(secret)) throw badRequest('secret token contains unallowed characters');
  }
  state.setAllowedUpdates(allowed);
  const target = { url, secretToken: secret === '' ? undefined : secret, maxConnections };
  const changed = state.setWebhook(target, drop);
  return new RawJson('true', changed ? 'Webhook was set' : 'Webhook is already set');
};

export const deleteWebhook: MethodHandler = (state, params) => {
  const existed = state.deleteWebhook(params.optionalBool('drop_pending_updates') === true);
  return new RawJson('true', existed ? 'Webhook was deleted' : 'Webhook is already deleted');
};

export const getWebhookInfo: MethodHandler = (state) => state.webhookInfo();

export const getUpdates: MethodHandler = async (state, params) => {
  const offset =
    params.optionalInt('offset', -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) ?? 0;
  const limit = params.optionalInt('limit', 1, 100) ?? 100;
  const timeout = params.optionalInt('timeout', 0, MAX_POLL_TIMEOUT_S) ?? 0;
  const allowed = readAllowedUpdates(params);
  if (state.webhook !== undefined) throw conflict(WEBHOOK_ACTIVE);
  state.setAllowedUpdates(allowed);
  // A newer poll supersedes one still waiting, which then answers 409 like Telegram.
  const generation = ++state.pollGeneration;
  state.updates.wakeAll();
  confirm(state, offset);
  let batch = state.updates.take(limit);
  if (batch.length === 0 && timeout > 0) {
    await state.updates.wait(timeout * 1000);
    if (generation !== state.pollGeneration) {
      throw conflict(
        'terminated by other getUpdates request; make sure that only one bot instance is running',
      );
    }
    if (state.webhook !== undefined) throw conflict(WEBHOOK_ACTIVE);
    batch = state.updates.take(limit);
  }
  return new RawJson(`[${batch.map((update) => update.json).join(',')}]`);
};

function confirm(state: EmulatorState, offset: number): void {
  if (offset > 0) state.stats.updatesDelivered += state.updates.confirmBelow(offset);
  else if (offset < 0) state.updates.keepLast(-offset);
}

function readAllowedUpdates(params: Params): string[] | undefined {
  const value = params.optionalJson('allowed_updates', () =>
    badRequest("can't parse allowed_updates JSON array"),
  );
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    throw badRequest('allowed_updates must be an array of strings');
  }
  return value;
}

function isHttpUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const { protocol, hostname } = new URL(url);
  return (protocol === 'http:' || protocol === 'https:') && hostname !== '';
}
