import type { BotCommand } from '@hamdam/telegram';
import { api, type ChatItem, type UserState } from './control.js';
import { attachMenu } from './attach-menu.js';
import { avatar, button, el, keepAtBottom } from './dom.js';
import { nearBottom, toBlocks } from './message-blocks.js';
import { renderBlock, snippet, textOf, type ViewActions } from './message-view.js';
import { commandList, currentKeyboard, keyboardRows } from './keyboards.js';
import { userMenu } from './user-menu.js';

/** What a pane needs from the page around it. */
export interface PaneHost {
  readonly botName: string;
  developer(): boolean;
  userState(id: number): UserState | undefined;
  closePane(pane: ChatPane): void;
}

/**
 * One person's Telegram chat with the bot: the message log, the reply keyboard under the
 * text box, START on a new chat, replies and edits of one's own messages.
 */
export class ChatPane {
  readonly userId: number;
  readonly root: HTMLElement;
  readonly #host: PaneHost;
  readonly #items = new Map<number, ChatItem>();
  readonly #blocks = new Map<string, HTMLElement>();
  readonly #head = el('div', 'pane-head');
  readonly #status = el('div', 'status', 'bot');
  readonly #log = el('div', 'log', undefined, { role: 'log', 'aria-live': 'polite' });
  readonly #context = el('div', 'context');
  readonly #compose = el('form', 'compose');
  readonly #input = el('textarea', 'input', undefined, { rows: '1', dir: 'auto' });
  readonly #keyboard = el('div', 'kb');
  readonly #start = el('div', 'start');
  readonly #blockedBar = el('div', 'blocked-bar');
  #replyTo: ChatItem | undefined;
  #editing: ChatItem | undefined;
  #hiddenKeyboard: number | undefined;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;
  #commands: readonly BotCommand[] = [];
  #pinned = true;

  constructor(userId: number, host: PaneHost) {
    this.userId = userId;
    this.#host = host;
    this.root = el('section', 'pane');
    this.#input.placeholder = 'Message';
    this.#input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        this.#submit();
      } else if (event.key === 'Escape') this.#clearContext();
    });
    // A picture or clip that finishes loading grows the log: stay at the bottom if we were.
    this.#log.addEventListener('scroll', () => (this.#pinned = nearBottom(this.#log)));
    const stick = (): void => {
      if (this.#pinned) this.#log.scrollTop = this.#log.scrollHeight;
    };
    this.#log.addEventListener('load', stick, true);
    this.#log.addEventListener('loadedmetadata', stick, true);
    this.#compose.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#submit();
    });
    const menu = button('/', () => this.#toggleCommands(), 'icon commands-button', {
      title: 'Commands',
      'aria-label': 'Commands',
    });
    this.#compose.append(
      attachMenu((body) => this.#sendMedia(body)),
      menu,
      this.#input,
      button('➤', () => this.#submit(), 'icon send', { 'aria-label': 'Send', title: 'Send' }),
    );
    this.#start.append(button('START', () => this.#send({ text: '/start' }), 'start-button'));
    this.root.append(
      this.#head,
      this.#log,
      this.#context,
      this.#blockedBar,
      this.#compose,
      this.#start,
      this.#keyboard,
    );
    this.renderHead();
  }

  /** Loads what the chat already holds. */
  async load(): Promise<void> {
    const [{ messages }, { commands }] = await Promise.all([
      api.chat(this.userId),
      api.commands(this.userId),
    ]);
    this.#commands = commands;
    for (const entry of messages) {
      this.#items.set(entry.message.message_id, {
        message: entry.message,
        fromBot: entry.from_bot,
        deleted: entry.deleted === true,
        replyMarkup: entry.reply_markup,
      });
    }
    this.render();
  }

  upsert(item: ChatItem): void {
    // Every replacement is a new revision: two edits within a second share an edit_date.
    const shown = this.#items.get(item.message.message_id);
    const revision = shown === undefined ? 0 : (shown.revision ?? 0) + 1;
    this.#items.set(item.message.message_id, { ...item, revision });
    if (item.fromBot) this.#setTyping(undefined);
    this.render();
  }

  /** Redraws after a change; unchanged bubbles stay in place, so media keep playing. */
  render(): void {
    const name = this.#host.userState(this.userId)?.user.first_name ?? '';
    this.root.setAttribute('aria-label', `${name}'s chat`);
    const sorted = [...this.#items.values()].sort(
      (a, b) => a.message.message_id - b.message.message_id,
    );
    const developer = this.#host.developer();
    const actions: ViewActions = { ...this.#actions, botName: this.#host.botName, developer };
    const wanted = toBlocks(sorted, developer);
    keepAtBottom(this.#log, () => {
      const keep = new Set(wanted.map((block) => block.key));
      for (const [key, node] of this.#blocks) {
        if (!keep.has(key)) {
          node.remove();
          this.#blocks.delete(key);
        }
      }
      wanted.forEach(({ key, items }, index) => {
        let node = this.#blocks.get(key);
        if (node === undefined) {
          node = renderBlock(items, actions);
          this.#blocks.set(key, node);
        }
        const current = this.#log.children[index];
        if (current !== node) this.#log.insertBefore(node, current ?? null);
      });
    });
    this.#renderKeyboard(sorted);
    const blocked = this.#host.userState(this.userId)?.blocked === true;
    const fresh = this.#items.size === 0;
    this.root.classList.toggle('blocked', blocked);
    this.root.classList.toggle('fresh', fresh && !blocked);
    this.#renderBlockedBar(blocked);
    if (fresh) this.#log.append((this.#welcomeCard ??= this.#welcome()));
    else this.#welcomeCard?.remove();
  }

  renderHead(): void {
    const state = this.#host.userState(this.userId);
    this.#head.textContent = '';
    const title = el('div', 'title');
    title.append(el('div', 'name', this.#host.botName), this.#status);
    this.#head.append(avatar(this.#host.botName, 7, 'avatar bot-avatar'), title);
    if (state !== undefined) {
      this.#head.append(
        userMenu(state, this.#host.developer(), {
          rename: (first_name) => this.#run(api.updateUser(this.userId, { first_name })),
          language: (code) => this.#run(api.updateUser(this.userId, { language_code: code })),
          block: (blocked) => this.#run(api.block(this.userId, blocked)),
          remove: () => this.#run(api.deleteUser(this.userId)),
          close: () => this.#host.closePane(this),
        }),
      );
    }
    this.render();
  }

  typing(action: string): void {
    this.#setTyping(action === 'typing' ? 'typing…' : `${action.replaceAll('_', ' ')}…`);
  }

  /** A short-lived line in the chat, like the answer to an inline button. */
  toast(text: string, isError = false): void {
    const node = el('div', isError ? 'toast error' : 'toast', text, {
      dir: 'auto',
      role: 'status',
    });
    keepAtBottom(this.#log, () => this.#log.append(node));
    setTimeout(() => node.remove(), isError ? 8_000 : 4_000);
  }

  focus(): void {
    this.#input.focus();
  }

  #welcomeCard: HTMLElement | undefined;

  readonly #actions: Omit<ViewActions, 'botName' | 'developer'> = {
    reply: (item) => {
      this.#editing = undefined;
      this.#replyTo = item;
      this.#renderContext();
      this.#input.focus();
    },
    edit: (item) => {
      this.#replyTo = undefined;
      this.#editing = item;
      this.#input.value = textOf(item.message) ?? '';
      this.#renderContext();
      this.#input.focus();
    },
    press: (messageId, data) => this.#run(api.press(this.userId, messageId, data)),
    open: (url) => window.open(url, '_blank', 'noopener'),
  };

  #welcome(): HTMLElement {
    const card = el('div', 'welcome');
    card.append(
      avatar(this.#host.botName, 7, 'avatar big'),
      el('div', 'welcome-name', this.#host.botName),
      el('p', '', 'Anonymous one-to-one chat. Press START below to begin.'),
    );
    return card;
  }

  #submit(): void {
    const text = this.#input.value;
    if (text.trim() === '') return;
    const editing = this.#editing;
    this.#input.value = '';
    if (editing !== undefined) {
      const field = 'text' in editing.message ? 'text' : 'caption';
      this.#run(api.edit(this.userId, { message_id: editing.message.message_id, [field]: text }));
    } else this.#send({ text });
    this.#clearContext();
  }

  #send(body: Record<string, unknown>): void {
    const replyTo = this.#replyTo;
    const withReply =
      replyTo === undefined ? body : { ...body, reply_to_message_id: replyTo.message.message_id };
    this.#clearContext();
    this.#run(api.send(this.userId, withReply));
  }

  /** Media from the "+" menu; what is typed becomes the caption, as in Telegram. */
  #sendMedia(body: Record<string, unknown>): void {
    const caption = this.#input.value.trim();
    const captioned = ['photo', 'video', 'document', 'voice', 'audio', 'animation'];
    if ('items' in body) {
      this.#run(api.album(this.userId, body));
      return;
    }
    if (caption !== '' && captioned.some((kind) => kind in body)) {
      this.#input.value = '';
      this.#send({ ...body, caption });
    } else this.#send(body);
  }

  #run(promise: Promise<unknown>): void {
    promise.catch((error: unknown) =>
      this.toast(error instanceof Error ? error.message : String(error), true),
    );
  }

  #clearContext(): void {
    this.#replyTo = undefined;
    this.#editing = undefined;
    this.#renderContext();
  }

  #renderContext(): void {
    this.#context.textContent = '';
    const target = this.#editing ?? this.#replyTo;
    if (target === undefined) return;
    const label = this.#editing !== undefined ? 'Edit message' : 'Reply to';
    const author = target.fromBot ? this.#host.botName : 'You';
    const box = el('div', 'context-text');
    box.append(
      el('b', '', `${label} · ${author}`),
      el('span', '', snippet(target.message), { dir: 'auto' }),
    );
    this.#context.append(
      box,
      button('×', () => this.#clearContext(), 'icon', { 'aria-label': 'Cancel' }),
    );
  }

  #renderKeyboard(sorted: readonly ChatItem[]): void {
    const current = currentKeyboard(sorted);
    this.#keyboard.textContent = '';
    if (current === undefined || this.#hiddenKeyboard === current.from) return;
    const { markup, from } = current;
    if (markup.input_field_placeholder !== undefined)
      this.#input.placeholder = markup.input_field_placeholder;
    this.#keyboard.append(
      ...keyboardRows(markup, (text) => {
        if (markup.one_time_keyboard === true) this.#hiddenKeyboard = from;
        this.#send({ text });
      }),
    );
  }

  #renderBlockedBar(blocked: boolean): void {
    this.#blockedBar.textContent = '';
    if (!blocked) return;
    this.#blockedBar.append(
      el('span', '', `You blocked ${this.#host.botName}.`),
      button('Unblock', () => this.#run(api.block(this.userId, false)), 'primary'),
    );
  }

  #toggleCommands(): void {
    const open = this.#context.querySelector('.command-list') !== null;
    this.#renderContext();
    if (!open) {
      this.#context.textContent = '';
      this.#context.append(commandList(this.#commands, (text) => this.#send({ text })));
    }
  }

  #setTyping(text: string | undefined): void {
    clearTimeout(this.#typingTimer);
    this.#status.textContent = text ?? 'bot';
    this.#status.classList.toggle('typing', text !== undefined);
    if (text !== undefined) this.#typingTimer = setTimeout(() => this.#setTyping(undefined), 5_000);
  }
}
