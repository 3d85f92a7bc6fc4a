import fp from 'fastify-plugin';
import type { Config } from '@hamdam/config';
import { registerCommandMenus } from '../command-menu.js';
import { PLUGINS } from './decorations.js';

// The menus are the bot's, not a worker's: the first worker registers them, the others would
// only repeat it. Bounded, so a slow Bot API delays a start by this much at most.
const MENU_TIMEOUT_MS = 10_000;

/**
 * Brings the command menus up to date at start. The Bot API answered getMe a moment ago (the
 * router needs it), so it is reachable; a menu that still cannot be set is a warning, never a
 * failed start: the bot works without it.
 */
export const commandMenuPlugin = fp<{ config: Config }>(
  async (app, { config }) => {
    if (config.workerIndex !== 0) return;
    const result = await registerCommandMenus(app.botApi, config.adminIds, {
      signal: AbortSignal.timeout(MENU_TIMEOUT_MS),
    });
    if (result.failed.length > 0) {
      app.log.warn({ failed: result.failed }, 'command menu not fully registered');
    }
  },
  { name: PLUGINS.commandMenu, dependencies: [PLUGINS.botApi, PLUGINS.router] },
);
