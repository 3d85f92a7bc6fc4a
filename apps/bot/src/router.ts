import { Telegraf, type Context } from 'telegraf';
import type { Update, UserFromGetMe } from 'telegraf/types';
import {
  BUTTONS,
  TEXTS,
  parseSettingsCallback,
  replyRef,
  settingsView,
  UPDATE_QUEUES,
  bucketOf,
  compatibleBuckets,
  DEFAULT_PROFILE,
  type Profile,
  type Stamp,
} from '@hamdam/domain';
import type { Outbox, Pairing, StoredProfile } from '@hamdam/store';
import type { UserDirectory } from './user-directory.js';

export interface RouterOptions {
  readonly token: string;
  /** The bot's own account, so telegraf never calls getMe itself. */
  readonly botInfo: {
    readonly id: number;
    readonly first_name: string;
    readonly username?: string;
  };
  readonly handlerTimeoutMs: number;
  readonly pairing: Pairing;
  readonly outbox: Outbox;
  readonly users: UserDirectory;
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

export function storedProfile(uid: number, profile: Profile): StoredProfile {
  return { uid, bucket: bucketOf(profile), candidates: compatibleBuckets(profile) };
}

const FALLBACK = storedProfile(0, DEFAULT_PROFILE);

/** What telegraf's context wants of the bot's account beyond what getMe's answer is sure to have. */
const BOT_DEFAULTS: UserFromGetMe = {
  id: 0,
  is_bot: true,
  first_name: '',
  username: '',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};

/**
 * telegraf routes and builds the context; it never sends. Every effect goes through one
 * atomic store step per update, stamped with the update's queue and id, and what the bot
 * says is queued in the outbox for the dispatcher.
 */
export function createRouter(options: RouterOptions): Telegraf {
  const { pairing, outbox, users } = options;
  const bot = new Telegraf(options.token, { handlerTimeout: options.handlerTimeoutMs });
  bot.botInfo = { ...BOT_DEFAULTS, ...options.botInfo, username: options.botInfo.username ?? '' };
  // telegraf's default handler sets process.exitCode and rethrows; the webhook decides instead.
  bot.catch((err, ctx) => {
    throw new UpdateError(ctx.update.update_id, err);
  });

  // Private chats only: the bot is one-to-one by design.
  bot.use(async (ctx, next) => {
    if (ctx.chat && ctx.chat.type !== 'private') return;
    await next();
  });

  bot.start(async (ctx) => {
    const { uid, profile } = await users.register(ctx.from.id, ctx.from.language_code ?? null);
    await pairing.setProfile(ctx.chat.id, storedProfile(uid, profile));
    await outbox.say({ chatId: ctx.chat.id, stamp: stampOf(ctx), payload: replyRef('welcome') });
  });

  const find = (next: boolean) => async (ctx: Context) => {
    await pairing.find({ chatId: ctx.chat!.id, stamp: stampOf(ctx), next, fallback: FALLBACK });
  };
  const stop = async (ctx: Context) => {
    await pairing.stop({ chatId: ctx.chat!.id, stamp: stampOf(ctx) });
  };
  const help = async (ctx: Context) => {
    await outbox.say({ chatId: ctx.chat!.id, stamp: stampOf(ctx), payload: replyRef('help') });
  };

  bot.command(['find', 'search'], find(false));
  bot.hears(BUTTONS.find, find(false));
  bot.command('next', find(true));
  bot.hears(BUTTONS.next, find(true));
  bot.command(['stop', 'cancel'], stop);
  bot.hears([BUTTONS.stop, BUTTONS.cancel], stop);
  bot.command('help', help);
  bot.hears(BUTTONS.help, help);

  const settings = async (ctx: Context) => {
    const { uid, profile } = await users.register(ctx.from!.id, ctx.from!.language_code ?? null);
    await pairing.setProfile(ctx.chat!.id, storedProfile(uid, profile));
    const view = settingsView(profile);
    await outbox.say({
      chatId: ctx.chat!.id,
      stamp: stampOf(ctx),
      payload: { method: 'sendMessage', params: view },
    });
  };
  bot.command('settings', settings);
  bot.hears(BUTTONS.settings, settings);

  bot.on('callback_query', async (ctx) => {
    const query = ctx.callbackQuery;
    const chatId = query.from.id;
    const answer = (text: string) => ({
      method: 'answerCallbackQuery' as const,
      params: { callback_query_id: query.id, text },
    });
    const patch = 'data' in query ? parseSettingsCallback(query.data) : null;
    if (!patch) {
      await outbox.say({ chatId, stamp: stampOf(ctx), payload: answer(TEXTS.unknownButton) });
      return;
    }
    const known = await pairing.getUser(chatId);
    const uid = known.uid ?? (await users.register(chatId, query.from.language_code ?? null)).uid;
    const profile = await users.updateProfile(uid, patch);
    // The store moves a waiting user to the new profile's queue in the same step.
    await pairing.setProfile(chatId, storedProfile(uid, profile));
    const edit = query.message
      ? [
          {
            method: 'editMessageText' as const,
            params: { message_id: query.message.message_id, ...settingsView(profile) },
          },
        ]
      : [];
    await outbox.say({
      chatId,
      stamp: stampOf(ctx),
      payload: [answer(TEXTS.settingsSaved), ...edit],
    });
  });

  bot.on('message', async (ctx) => {
    const message = ctx.message;
    const chatId = ctx.chat.id;
    if ('text' in message && message.text.startsWith('/')) {
      await outbox.say({ chatId, stamp: stampOf(ctx), payload: replyRef('unknownCommand') });
      return;
    }
    // copyMessage carries any ordinary message without a link to its sender.
    await pairing.relay({
      chatId,
      stamp: stampOf(ctx),
      payload: {
        method: 'copyMessage',
        params: { from_chat_id: chatId, message_id: message.message_id },
      },
    });
  });

  bot.on('my_chat_member', async (ctx) => {
    const status = ctx.myChatMember.new_chat_member.status;
    if (status === 'kicked' || status === 'left') await pairing.blocked(ctx.chat.id, stampOf(ctx));
  });

  return bot;
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
