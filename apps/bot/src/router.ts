import { Telegraf, type Context } from 'telegraf';
import { UPDATE_QUEUES, languageFromCode, type Stamp } from '@hamdam/domain';
import type { Update, UserFromGetMe } from '@hamdam/telegram';
import { adminHandlers } from './handlers/admin-handlers.js';
import { buttonHandler } from './handlers/button-handlers.js';
import { chatHandlers } from './handlers/chat-handlers.js';
import type { HandlerDeps, Step } from './handlers/deps.js';
import { classify, editOf } from './handlers/incoming.js';
import type { HandlerName } from './metrics.js';

export interface RouterOptions extends Omit<HandlerDeps, 'botUsername'> {
  readonly token: string;
  /** The bot's own account, so telegraf never calls getMe itself. */
  readonly botInfo: UserFromGetMe;
  readonly handlerTimeoutMs: number;
}

/** A handler failed; carries the update id so the log line can be traced, never its content. */
export class UpdateError extends Error {
  override readonly name = 'UpdateError';
  readonly updateId: number;
  constructor(updateId: number, cause: unknown) {
    super(`update ${updateId} failed`, { cause });
    this.updateId = updateId;
  }
}

/**
 * telegraf routes and builds the context; it never sends. Every effect is one atomic step in
 * the state store, stamped with the update's queue and id, and what the bot says is queued in
 * the outbox for the dispatcher. Private chats only: the bot is one-to-one by design.
 */
export function createRouter(options: RouterOptions): Telegraf {
  const bot = new Telegraf(options.token, { handlerTimeout: options.handlerTimeoutMs });
  bot.botInfo = options.botInfo;
  // telegraf's default handler sets process.exitCode and rethrows; the webhook decides instead.
  bot.catch((err, ctx) => {
    throw new UpdateError(ctx.update.update_id, err);
  });
  const deps: HandlerDeps = { ...options, botUsername: options.botInfo.username };
  const chat = chatHandlers(deps);
  const admin = adminHandlers(deps);
  const press = buttonHandler(deps);
  const { metrics } = deps;

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

  bot.use(async (ctx, next) => {
    if (ctx.chat && ctx.chat.type !== 'private') return;
    await next();
  });

  bot.on('message', async (ctx) => {
    const step = stepOf(ctx);
    const isAdmin = options.adminIds.has(ctx.from.id);
    const incoming = classify(ctx.message, deps.botUsername, isAdmin);
    switch (incoming.kind) {
      case 'command': {
        const handler = incoming.command === 'search' ? 'find' : incoming.command;
        const name: HandlerName = handler === 'cancel' ? 'stop' : handler;
        return timed(name, () => chat.commands[incoming.command](step, incoming.args));
      }
      case 'admin':
        return timed('admin', () => admin[incoming.command](step, incoming.args, ctx.message));
      case 'message':
        return timed('relay', () => chat.relay(step, ctx.message.message_id, incoming.relay));
    }
  });

  bot.on('edited_message', async (ctx) => {
    const edit = editOf(ctx.editedMessage);
    if (!edit) return;
    await timed('edit', async () => {
      const r = await options.state.pairing.edit({
        ...stepOf(ctx),
        messageId: ctx.editedMessage.message_id,
        edit,
      });
      if (r.kind === 'relayed') metrics.relayed.inc();
      if (r.kind === 'flooded') metrics.floodDropped.inc();
      if (r.kind === 'capped') metrics.dropped.inc({ reason: 'cap' });
      if (r.kind === 'duplicate') metrics.duplicates.inc();
    });
  });

  bot.on('callback_query', async (ctx) => {
    const query = ctx.callbackQuery;
    await timed('button', () =>
      press(
        {
          chatId: query.from.id,
          stamp: stampOf(ctx),
          langHint: languageFromCode(query.from.language_code),
        },
        {
          queryId: query.id,
          data: 'data' in query ? query.data : '',
          messageId: query.message?.message_id ?? null,
        },
      ),
    );
  });

  bot.on('my_chat_member', async (ctx) => {
    const status = ctx.myChatMember.new_chat_member.status;
    if (status !== 'kicked' && status !== 'left') return;
    await timed('bot_blocked', async () => {
      await options.state.pairing.botBlocked(ctx.chat.id, stampOf(ctx));
    });
  });

  return bot;
}

function stepOf(ctx: Context): Step {
  return {
    chatId: ctx.chat!.id,
    stamp: stampOf(ctx),
    langHint: languageFromCode(ctx.from?.language_code),
  };
}

function stampOf(ctx: Context): Stamp {
  const update: Update = ctx.update;
  const queue =
    'callback_query' in update
      ? UPDATE_QUEUES.callback
      : 'my_chat_member' in update
        ? UPDATE_QUEUES.membership
        : UPDATE_QUEUES.message;
  return { queue, updateId: update.update_id };
}
