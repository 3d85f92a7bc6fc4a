import type { AdminCommand, Outgoing, Stamp, UserCommand } from '@hamdam/domain';
import type { Message } from '@hamdam/telegram';
import type { HandlerName } from '../metrics.js';
import { adminHandlers } from './admin-handlers.js';
import { buttonHandler, type ButtonPress } from './button-handlers.js';
import { chatHandlers } from './chat-handlers.js';
import type { HandlerDeps, UpdateActor } from './deps.js';
import type { RelayFields } from './incoming.js';

/** What each kind of update the router tells apart leads to; free of telegraf's context. */
export interface UpdateHandlers {
  command(command: UserCommand, actor: UpdateActor, args: string): Promise<void>;
  /** Reached only from a configured admin. */
  admin(command: AdminCommand, actor: UpdateActor, args: string, message: Message): Promise<void>;
  relay(actor: UpdateActor, messageId: number, fields: RelayFields): Promise<void>;
  /** An edit of a message: mirrored onto its copy. */
  edit(actor: UpdateActor, messageId: number, edit: Outgoing): Promise<void>;
  press(actor: UpdateActor, button: ButtonPress): Promise<void>;
  /** The user blocked the bot or deleted the chat with it. */
  botBlocked(chatId: number, stamp: Stamp): Promise<void>;
}

/** The handlers, each timed and its failures counted under its metric name. */
export function updateHandlers(deps: HandlerDeps): UpdateHandlers {
  const { metrics, state } = deps;
  const chat = chatHandlers(deps);
  const admin = adminHandlers(deps);
  const press = buttonHandler(deps);

  const timed = async (handler: HandlerName, work: () => Promise<void>): Promise<void> => {
    const end = metrics.handlerDuration.startTimer({ handler });
    try {
      await work();
    } catch (err) {
      metrics.handlerErrors.inc({ handler });
      throw err;
    } finally {
      end();
    }
  };

  return {
    command(command, actor, args) {
      const name = command === 'search' ? 'find' : command === 'cancel' ? 'stop' : command;
      return timed(name, () => chat.commands[command](actor, args));
    },
    admin: (command, actor, args, message) =>
      timed('admin', () => admin[command](actor, args, message)),
    relay: (actor, messageId, fields) => timed('relay', () => chat.relay(actor, messageId, fields)),
    edit: (actor, messageId, edit) =>
      timed('edit', async () => {
        const r = await state.pairing.edit({ ...actor, messageId, edit });
        if (r.kind === 'relayed') metrics.relayed.inc();
        if (r.kind === 'flooded') metrics.floodDropped.inc();
        if (r.kind === 'capped') metrics.dropped.inc({ reason: 'cap' });
        if (r.kind === 'duplicate') metrics.duplicates.inc();
      }),
    press: (actor, button) => timed('button', () => press(actor, button)),
    botBlocked: (chatId, stamp) =>
      timed('bot_blocked', async () => {
        await state.pairing.botBlocked(chatId, stamp);
      }),
  };
}
