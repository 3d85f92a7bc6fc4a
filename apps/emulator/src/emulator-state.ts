import { randomInt } from 'node:crypto';
import type {
  CallbackQuery,
  ChatMemberUpdated,
  ReplyMarkup,
  User,
  UserFromGetMe,
  WebhookInfo,
} from '@hamdam/telegram';
import { summarize, type ChatEntry, type CopiedFrom } from './chat-log.js';
import { CommandStore } from './command-store.js';
import type { ResolvedOptions } from './emulator-options.js';
import { EventHub } from './event-hub.js';
import { FaultInjector } from './fault-injector.js';
import { FileIdFactory } from './media.js';
import {
  buildMessage,
  type ChatMessage,
  type Envelope,
  type MessageContent,
} from './message-builder.js';
import { Stats, type EmulatorStats } from './stats.js';
import {
  UpdateStore,
  queueKeyOf,
  type EmittedUpdateType,
  type PendingUpdate,
} from './update-store.js';
import { UserDirectory, type UserRecord } from './user-directory.js';
import { WebhookDispatcher, type WebhookTarget } from './webhook-dispatcher.js';

export type SentKind = 'send' | 'copy' | 'edit' | 'delete';

interface CallbackRecord {
  readonly userId: number;
}

/** Telegram's default when allowed_updates was never given: every type the emulator produces. */
const DEFAULT_ALLOWED: ReadonlySet<string> = new Set<EmittedUpdateType>([
  'message',
  'edited_message',
  'callback_query',
  'my_chat_member',
]);

export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Everything the emulator knows: users and their chats, pending updates, the
 * webhook, faults and counters. Route handlers are thin layers over this.
 */
export class EmulatorState {
  readonly options: ResolvedOptions;
  readonly bot: UserFromGetMe;
  /** The bot as it appears in `from` of its messages. */
  readonly botFrom: User;
  readonly users: UserDirectory;
  readonly updates = new UpdateStore();
  readonly hub = new EventHub();
  readonly stats = new Stats();
  readonly faults = new FaultInjector();
  readonly files = new FileIdFactory();
  readonly callbacks = new Map<string, CallbackRecord>();
  readonly commands = new CommandStore();
  latencyMs = 0;
  /**
   * When set, a call takes effect at once and only its answer waits: Telegram has delivered a
   * message the bot has not heard back about yet.
   */
  latencyAfter = false;
  /** Bumped by every getUpdates call so an older long poll knows it was superseded. */
  pollGeneration = 0;
  #allowedUpdates: ReadonlySet<string> = DEFAULT_ALLOWED;
  #allowedUpdatesList: string[] | undefined;
  #webhook: WebhookDispatcher | undefined;
  #lastError: { readonly date: number; readonly message: string } | undefined;
  #nextUpdateId = 1;
  #nextSeq = 1;
  readonly #callbackIdBase = randomInt(1_000_000_000, 9_000_000_000) * 100_000;
  #callbackCounter = 0;
  #mediaGroupCounter = 0;
  #pollCounter = 0;

  constructor(options: ResolvedOptions) {
    this.options = options;
    this.users = new UserDirectory(options.chatLogMaxAgeMs);
    this.bot = botFromToken(options.token, options.botName);
    this.botFrom = { id: this.bot.id, is_bot: true, first_name: this.bot.first_name };
    if (this.bot.username !== undefined) this.botFrom.username = this.bot.username;
  }

  get webhook(): WebhookTarget | undefined {
    return this.#webhook?.target;
  }

  statsSnapshot(): EmulatorStats {
    return this.stats.snapshot(this.updates.size, this.#webhook?.inFlight ?? 0);
  }

  nextSeq(): number {
    return this.#nextSeq++;
  }

  nextMediaGroupId(): string {
    return String(this.#callbackIdBase + 50_000 + ++this.#mediaGroupCounter);
  }

  nextPollId(): string {
    return String(this.#callbackIdBase + 90_000 + ++this.#pollCounter);
  }

  nextCallbackId(): string {
    return String(this.#callbackIdBase + ++this.#callbackCounter);
  }

  /** Assigns the next update_id, publishes the update and routes it to the webhook or getUpdates. */
  emitUpdate(
    type: EmittedUpdateType,
    chatId: number,
    payload: ChatMessage | CallbackQuery | ChatMemberUpdated,
  ): number {
    const updateId = this.#nextUpdateId++;
    const json = `{"update_id":${updateId},"${type}":${JSON.stringify(payload)}}`;
    this.stats.updatesInjected++;
    this.hub.publish('update', json);
    // Like Telegram, updates of a type the bot opted out of are never stored.
    if (!this.#allowedUpdates.has(type)) return updateId;
    const pending: PendingUpdate = { updateId, type, queueKey: queueKeyOf(type, chatId), json };
    this.updates.add(pending);
    this.#webhook?.enqueue(pending);
    return updateId;
  }

  /** Appends a message to a chat log. */
  record(
    owner: UserRecord,
    envelope: Envelope,
    content: MessageContent,
    fromBot: boolean,
    replyMarkup: ReplyMarkup | undefined,
    copiedFrom?: CopiedFrom,
  ): ChatEntry {
    const entry: ChatEntry = {
      seq: this.nextSeq(),
      fromBot,
      copiedFrom,
      envelope,
      content,
      message: buildMessage(envelope, content),
      replyMarkup,
      deleted: false,
    };
    owner.log.append(entry);
    return entry;
  }

  /** Publishes a bot-side change; `messageJson` lets the caller reuse a serialisation it already made. */
  publishSent(kind: SentKind, entry: ChatEntry, messageJson?: string): void {
    if (!this.hub.hasClients) return;
    const summary = JSON.stringify(summarize(entry.message)).slice(1, -1);
    let json = `{"seq":${entry.seq},"chat_id":${entry.message.chat.id},"kind":"${kind}",${summary},"message":${messageJson ?? JSON.stringify(entry.message)}`;
    if (entry.replyMarkup !== undefined)
      json += `,"reply_markup":${JSON.stringify(entry.replyMarkup)}`;
    if (entry.copiedFrom !== undefined)
      json += `,"copied_from":${JSON.stringify(entry.copiedFrom)}`;
    this.hub.publish('sent', json + '}');
  }

  setAllowedUpdates(list: string[] | undefined): void {
    if (list === undefined) return;
    this.#allowedUpdatesList = list.length === 0 ? undefined : list;
    this.#allowedUpdates = list.length === 0 ? DEFAULT_ALLOWED : new Set(list);
  }

  /** Returns false when the same webhook was already set, as Telegram's "Webhook is already set". */
  setWebhook(target: WebhookTarget, dropPending: boolean): boolean {
    if (dropPending) this.updates.clear();
    const current = this.#webhook?.target;
    if (
      current !== undefined &&
      current.url === target.url &&
      current.secretToken === target.secretToken &&
      current.maxConnections === target.maxConnections
    ) {
      return false;
    }
    const previous = this.#webhook;
    const { retryBaseMs, retryMaxMs, webhookTimeoutMs } = this.options;
    const dispatcher = new WebhookDispatcher(
      target,
      { retryBaseMs, retryMaxMs, timeoutMs: webhookTimeoutMs },
      this.stats,
      {
        delivered: (update) => {
          if (this.updates.remove(update.updateId)) this.stats.updatesDelivered++;
        },
        failed: (update, reason) => {
          this.#lastError = { date: unixNow(), message: reason };
          this.options.logger?.debug(
            { update_id: update.updateId, reason },
            'webhook delivery failed',
          );
        },
      },
    );
    this.#webhook = dispatcher;
    this.#lastError = undefined;
    // Stop the old dispatcher first (synchronously flagged) so it cannot confirm anything the new one resends.
    this.#stopDispatcher(previous);
    for (const update of this.updates.values()) dispatcher.enqueue(update);
    // A long poll still waiting must now return; it will see the conflict on its next call.
    this.updates.wakeAll();
    return true;
  }

  /** Returns false when there was no webhook. */
  deleteWebhook(dropPending: boolean): boolean {
    const previous = this.#webhook;
    this.#webhook = undefined;
    this.#lastError = undefined;
    if (dropPending) this.updates.clear();
    this.#stopDispatcher(previous);
    return previous !== undefined;
  }

  webhookInfo(): WebhookInfo {
    const target = this.#webhook?.target;
    const info: WebhookInfo = {
      url: target?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.updates.size,
    };
    if (target !== undefined) info.max_connections = target.maxConnections;
    if (this.#lastError !== undefined) {
      info.last_error_date = this.#lastError.date;
      info.last_error_message = this.#lastError.message;
    }
    if (this.#allowedUpdatesList !== undefined)
      info.allowed_updates = [...this.#allowedUpdatesList];
    return info;
  }

  /** Forgets users, messages, updates, faults, latency, counters and the webhook. Ids keep increasing. */
  reset(): void {
    this.deleteWebhook(true);
    this.users.clear();
    this.callbacks.clear();
    this.commands.clear();
    this.faults.clear();
    this.latencyMs = 0;
    this.latencyAfter = false;
    this.stats.reset();
    this.#allowedUpdates = DEFAULT_ALLOWED;
    this.#allowedUpdatesList = undefined;
    this.updates.wakeAll();
    this.hub.publish('reset', '{}');
  }

  close(): void {
    this.deleteWebhook(false);
    this.updates.wakeAll();
    this.hub.close();
    this.stats.close();
  }

  #stopDispatcher(dispatcher: WebhookDispatcher | undefined): void {
    dispatcher
      ?.stop()
      .catch((error: unknown) =>
        this.options.logger?.warn({ err: error }, 'webhook pool close failed'),
      );
  }
}

function botFromToken(token: string, name: string): UserFromGetMe {
  const prefix = /^(\d{1,15}):/.exec(token)?.[1];
  // Bot usernames are Latin letters, digits and underscores ending in "bot".
  const handle = name
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return {
    id: prefix === undefined ? 7_000_000_001 : Number(prefix),
    is_bot: true,
    first_name: name,
    username: `${handle.length >= 2 ? handle : 'emulator'}_bot`,
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
  };
}
