import { Composer, Telegraf, type Context } from 'telegraf';
import { message } from 'telegraf/filters';
import {
  ADMIN_COMMANDS,
  CALLBACK_PATTERNS,
  UPDATE_QUEUES,
  USER_COMMANDS,
  languageFromCode,
  type Stamp,
} from '@hamdam/domain';
import type { CallbackQuery, Update, UserFromGetMe } from '@hamdam/telegram';
import type { HandlerDeps, UpdateActor } from './handlers/deps.js';
import { BUTTON_TEXTS, argsOf, editOf, isForwarded, relayOf } from './handlers/incoming.js';
import { updateHandlers, type UpdateHandlers } from './handlers/update-handlers.js';

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
 * the outbox for the dispatcher. Updates are given to `handleUpdate` without a response
 * object, so telegraf never answers a call in the webhook's reply.
 */
export function createRouter(options: RouterOptions): Telegraf {
  const bot = new Telegraf(options.token, { handlerTimeout: options.handlerTimeoutMs });
  bot.botInfo = options.botInfo;
  // telegraf's default handler sets process.exitCode and rethrows; the webhook decides instead.
  bot.catch((err, ctx) => {
    throw new UpdateError(ctx.update.update_id, err);
  });
  const handlers = updateHandlers({ ...options, botUsername: options.botInfo.username });
  routeUpdates(bot, handlers, options.adminIds);
  return bot;
}

/**
 * Registers the routes, first match wins. Private chats only: the bot is one-to-one by design.
 * An update nothing here matches (a poll, an edit of a photo's media) is taken and ignored.
 */
export function routeUpdates(
  bot: Telegraf,
  on: UpdateHandlers,
  adminIds: ReadonlySet<number>,
): void {
  bot.use((ctx, next) => (ctx.chat && ctx.chat.type !== 'private' ? undefined : next()));

  // The sender's own words: keyboard buttons, in any language, then commands. A command is
  // matched caselessly, and only as /name or /name@this_bot at the very start of the text.
  const typed = new Composer<Context>();
  for (const [command, texts] of BUTTON_TEXTS) {
    typed.hears([...texts], (ctx) => on.command(command, actorOf(ctx), ''));
  }
  for (const command of USER_COMMANDS) {
    typed.command(named(command), (ctx) =>
      on.command(command, actorOf(ctx), argsOf(ctx.message.text)),
    );
  }
  // For anyone else an admin command is an unknown one, left to the relay below.
  for (const command of ADMIN_COMMANDS) {
    typed.command(named(command), (ctx, next) =>
      adminIds.has(ctx.from.id)
        ? on.admin(command, actorOf(ctx), argsOf(ctx.message.text), ctx.message)
        : next(),
    );
  }
  // A forward is someone else's words: a forwarded "/ban 123" is no order of the sender's.
  bot.on(
    message('text'),
    Composer.optional((ctx) => ctx.message !== undefined && !isForwarded(ctx.message), typed),
  );

  // Everything else is for the partner; the relay step answers the unknown commands.
  bot.on('message', (ctx) =>
    on.relay(actorOf(ctx), ctx.message.message_id, relayOf(ctx.message, ctx.me)),
  );

  bot.on('edited_message', async (ctx, next) => {
    const edit = editOf(ctx.editedMessage);
    if (!edit) return next();
    await on.edit(actorOf(ctx), ctx.editedMessage.message_id, edit);
  });

  // Buttons: data of a shape the bot makes; anything else (no data, old or forged data) is
  // still answered, "no longer valid", by the same handler.
  bot.action(Object.values(CALLBACK_PATTERNS), (ctx) => press(ctx));
  bot.on('callback_query', (ctx) => press(ctx));

  bot.on('my_chat_member', async (ctx, next) => {
    const status = ctx.myChatMember.new_chat_member.status;
    if (status !== 'kicked' && status !== 'left') return next();
    await on.botBlocked(ctx.chat.id, stampOf(ctx));
  });

  function press(ctx: { update: Update; callbackQuery: CallbackQuery }): Promise<void> {
    const query = ctx.callbackQuery;
    // The chat is the user's: a query's message may be too old for Telegram to include.
    const actor = {
      chatId: query.from.id,
      stamp: stampOf(ctx),
      langHint: languageFromCode(query.from.language_code),
    };
    return on.press(actor, {
      queryId: query.id,
      data: 'data' in query ? query.data : '',
      messageId: query.message?.message_id ?? null,
    });
  }
}

/** Matches the command typed in any case, as the bot has always taken /Stop and /STOP. */
function named(command: string): RegExp {
  return new RegExp(`^${command}$`, 'i');
}

function actorOf(ctx: Context): UpdateActor {
  return {
    chatId: ctx.chat!.id,
    stamp: stampOf(ctx),
    langHint: languageFromCode(ctx.from?.language_code),
  };
}

function stampOf(ctx: { readonly update: Update }): Stamp {
  const update: Update = ctx.update;
  const queue =
    'callback_query' in update
      ? UPDATE_QUEUES.callback
      : 'my_chat_member' in update
        ? UPDATE_QUEUES.membership
        : UPDATE_QUEUES.message;
  return { queue, updateId: update.update_id };
}
