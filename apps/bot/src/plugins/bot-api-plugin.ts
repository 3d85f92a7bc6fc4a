import fp from 'fastify-plugin';
import type { Config } from '@hamdam/config';
import { BotApi } from '@hamdam/telegram';
import { PLUGINS } from './decorations.js';

/** The one undici pool every outgoing Bot API call of this worker goes through. */
export const botApiPlugin = fp<{ config: Config }>(
  async (app, { config }) => {
    const api = new BotApi({
      token: config.telegram.token,
      apiRoot: config.telegram.apiRoot,
      connections: config.telegram.connections,
      timeoutMs: config.telegram.timeoutMs,
    });
    app.decorate('botApi', api);
    app.addHook('onClose', () => api.close());
  },
  { name: PLUGINS.botApi },
);
