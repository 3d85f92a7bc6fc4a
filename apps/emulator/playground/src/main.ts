import type { Message, ReplyMarkup, User } from '@hamdam/telegram';
import { ChatPane, type PaneHost } from './chat-pane.js';
import { api, type UserState } from './control.js';
import { byId } from './dom.js';
import { UsersPanel } from './users-panel.js';

// The playground page: people on the left, their chats with the bot side by side (stacked
// on a narrow screen), kept live by the emulator's event stream.

const GUIDE_KEY = 'playground.guide.dismissed';
const DEVELOPER_KEY = 'playground.developer';

const botName = document.body.dataset['botName'] ?? 'the bot';
const users = new Map<number, UserState>();
const panes = new Map<number, ChatPane>();
const developerToggle = byId<HTMLInputElement>('developer');
developerToggle.checked = localStorage.getItem(DEVELOPER_KEY) === '1';

const host: PaneHost = {
  botName,
  developer: () => developerToggle.checked,
  userState: (id) => users.get(id),
  closePane: (pane) => closePane(pane.userId),
};

const panel = new UsersPanel({
  developer: () => developerToggle.checked,
  isOpen: (id) => panes.has(id),
  open: (id) => void openPane(id),
  remember: (user, blocked) => remember(user, blocked),
  fail: (message) => showProblem(message),
});

function remember(user: User, blocked?: boolean): void {
  users.set(user.id, { user, blocked: blocked ?? users.get(user.id)?.blocked ?? false });
  panes.get(user.id)?.renderHead();
  panel.render(users);
}

async function openPane(id: number): Promise<void> {
  const existing = panes.get(id);
  if (existing !== undefined) {
    existing.root.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
    existing.focus();
    return;
  }
  const pane = new ChatPane(id, host);
  panes.set(id, pane);
  byId('panes').append(pane.root);
  byId('empty').hidden = true;
  panel.render(users);
  try {
    await pane.load();
  } catch (error) {
    pane.toast(error instanceof Error ? error.message : String(error), true);
  }
  pane.focus();
}

function closePane(id: number): void {
  panes.get(id)?.root.remove();
  panes.delete(id);
  byId('empty').hidden = panes.size > 0;
  panel.render(users);
}

function showProblem(message: string): void {
  const box = byId('problem');
  box.textContent = message;
  box.hidden = false;
  setTimeout(() => (box.hidden = true), 6_000);
}

interface SentEvent {
  readonly chat_id: number;
  readonly kind: 'send' | 'copy' | 'edit' | 'delete';
  readonly message: Message;
  readonly reply_markup?: ReplyMarkup;
}

interface UpdateEvent {
  readonly message?: Message;
  readonly edited_message?: Message;
}

function connect(): void {
  const source = new EventSource('/control/stream');
  const status = byId('conn');
  source.onopen = () => {
    status.className = 'live';
    status.textContent = 'live';
  };
  source.onerror = () => {
    status.className = 'down';
    status.textContent = 'reconnecting…';
  };
  const on = <T>(event: string, handle: (data: T) => void): void =>
    source.addEventListener(event, (raw) =>
      handle(JSON.parse((raw as MessageEvent<string>).data) as T),
    );
  on<SentEvent>('sent', (data) => {
    panes.get(data.chat_id)?.upsert({
      message: data.message,
      fromBot: true,
      deleted: data.kind === 'delete',
      replyMarkup: data.reply_markup,
    });
  });
  on<UpdateEvent>('update', (update) => {
    const message = update.message ?? update.edited_message;
    if (message === undefined) return;
    panes
      .get(message.chat.id)
      ?.upsert({ message, fromBot: false, deleted: false, replyMarkup: undefined });
  });
  on<{ user: User; blocked: boolean }>('user', (data) => remember(data.user, data.blocked));
  on<{ user_id: number }>('user_deleted', (data) => {
    users.delete(data.user_id);
    closePane(data.user_id);
  });
  on<{ chat_id: number; action: string }>('action', (data) =>
    panes.get(data.chat_id)?.typing(data.action),
  );
  on<{ chat_id: number; text?: string; show_alert: boolean }>('answer', (data) => {
    if (data.text === undefined) return;
    if (data.show_alert) window.alert(data.text);
    else panes.get(data.chat_id)?.toast(data.text);
  });
  on<unknown>('reset', () => {
    users.clear();
    for (const id of [...panes.keys()]) closePane(id);
  });
}

function setUpGuide(): void {
  const guide = byId('guide');
  guide.hidden = localStorage.getItem(GUIDE_KEY) === '1';
  byId('guide-close').addEventListener('click', () => {
    guide.hidden = true;
    localStorage.setItem(GUIDE_KEY, '1');
  });
  byId('guide-open').addEventListener('click', () => {
    guide.hidden = false;
  });
}

developerToggle.addEventListener('change', () => {
  localStorage.setItem(DEVELOPER_KEY, developerToggle.checked ? '1' : '0');
  document.body.classList.toggle('developer', developerToggle.checked);
  panel.render(users);
  for (const pane of panes.values()) pane.renderHead();
});
document.body.classList.toggle('developer', developerToggle.checked);

setUpGuide();
connect();
api.users().then(
  (list) => {
    for (const user of list) remember(user);
    panel.render(users);
  },
  (error: unknown) => showProblem(error instanceof Error ? error.message : String(error)),
);
