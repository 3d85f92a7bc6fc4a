import type { InlineKeyboardMarkup, Message } from '@hamdam/telegram';
import type { ChatItem } from './control.js';
import { fileUrl } from './control.js';
import { button, el } from './dom.js';

// How one message, or one album, looks in a pane: a bubble like Telegram's. Nothing here
// shows an id or callback data unless the developer view is on, and nothing ever shows
// where a copy came from.

export interface ViewActions {
  readonly botName: string;
  readonly developer: boolean;
  reply(item: ChatItem): void;
  edit(item: ChatItem): void;
  press(messageId: number, data: string): void;
  open(url: string): void;
}

const KIND_LABELS: readonly (readonly [string, string])[] = [
  ['animation', 'GIF'],
  ['photo', '🖼 Photo'],
  ['video', '🎬 Video'],
  ['video_note', '⏺ Video message'],
  ['voice', '🎤 Voice message'],
  ['audio', '🎵 Audio'],
  ['document', '📄 File'],
  ['sticker', 'Sticker'],
  ['contact', '👤 Contact'],
  ['location', '📍 Location'],
  ['poll', '📊 Poll'],
  ['dice', '🎲 Dice'],
];

/** A one-line description, as Telegram shows a replied-to message. */
export function snippet(message: Message): string {
  const text = 'text' in message ? message.text : 'caption' in message ? message.caption : '';
  if (text !== undefined && text !== '') return text;
  const label = KIND_LABELS.find(([key]) => key in message)?.[1];
  if ('sticker' in message) return `${message.sticker.emoji ?? ''} Sticker`.trim();
  return label ?? 'Message';
}

export function textOf(message: Message): string | undefined {
  if ('text' in message) return message.text;
  if ('caption' in message) return message.caption;
  return undefined;
}

export function mediaGroupOf(message: Message): string | undefined {
  return 'media_group_id' in message ? message.media_group_id : undefined;
}

/** One bubble for a message, or one for an album's consecutive messages. */
export function renderBlock(items: readonly ChatItem[], actions: ViewActions): HTMLElement {
  const first = items[0];
  if (first === undefined) throw new Error('an empty block');
  const fromBot = first.fromBot;
  const deleted = items.every((item) => item.deleted);
  const row = el('div', `row ${fromBot ? 'bot' : 'user'}${deleted ? ' deleted' : ''}`);
  const bubble = el('div', 'bubble');
  const head = first.message;
  if (!('chat' in head)) return row;
  if ('forward_origin' in head && head.forward_origin !== undefined) {
    const origin = head.forward_origin;
    const name =
      origin.type === 'user'
        ? origin.sender_user.first_name
        : origin.type === 'hidden_user'
          ? origin.sender_user_name
          : origin.type === 'channel' && 'title' in origin.chat
            ? origin.chat.title
            : 'a channel';
    bubble.append(el('div', 'forwarded', `Forwarded from ${name}`, { dir: 'auto' }));
  }
  if ('reply_to_message' in head && head.reply_to_message !== undefined) {
    const quoted = head.reply_to_message;
    const quote = el('div', 'quote');
    const author = quoted.from?.is_bot === true ? actions.botName : 'You';
    quote.append(el('b', '', author), el('span', '', snippet(quoted), { dir: 'auto' }));
    bubble.append(quote);
  }
  if (items.length > 1) {
    const album = el('div', `album n${Math.min(items.length, 4)}`, undefined, {
      'aria-label': `Album of ${items.length}`,
    });
    for (const item of items) album.append(renderMedia(item.message));
    bubble.append(album);
    const caption = items.map((item) => textOf(item.message)).find((text) => text !== undefined);
    if (caption !== undefined) bubble.append(el('div', 'text', caption, { dir: 'auto' }));
  } else {
    const media = renderMedia(head);
    if (media.childNodes.length > 0) bubble.append(media);
    const text = textOf(head);
    if (text !== undefined && text !== '') bubble.append(el('div', 'text', text, { dir: 'auto' }));
  }
  bubble.append(renderMeta(items, actions.developer));
  row.append(bubble);
  const markup = 'reply_markup' in head ? head.reply_markup : undefined;
  if (markup !== undefined && !deleted) row.append(renderInlineKeyboard(head, markup, actions));
  if (!deleted) row.append(renderActions(first, items.length === 1, actions));
  return row;
}

function renderMeta(items: readonly ChatItem[], developer: boolean): HTMLElement {
  const head = items[0]?.message;
  const parts: string[] = [];
  if (head !== undefined && 'edit_date' in head && head.edit_date !== undefined)
    parts.push('edited');
  if (head !== undefined && 'has_protected_content' in head && head.has_protected_content === true)
    parts.push('🔒');
  if (head !== undefined) {
    const date = new Date(head.date * 1000);
    parts.push(date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
  }
  if (items.every((item) => item.deleted)) parts.push('deleted');
  if (developer) parts.push(items.map((item) => `#${item.message.message_id}`).join(' '));
  return el('div', 'meta', parts.join(' · '));
}

function renderActions(item: ChatItem, single: boolean, actions: ViewActions): HTMLElement {
  const box = el('div', 'actions');
  box.append(button('↩ Reply', () => actions.reply(item), 'action', { title: 'Reply' }));
  const editable =
    !item.fromBot && single && textOf(item.message) !== undefined && !('sticker' in item.message);
  if (editable) box.append(button('✎ Edit', () => actions.edit(item), 'action', { title: 'Edit' }));
  return box;
}

function renderInlineKeyboard(
  message: Message,
  markup: InlineKeyboardMarkup,
  actions: ViewActions,
): HTMLElement {
  const box = el('div', 'ikb');
  for (const buttons of markup.inline_keyboard) {
    const row = el('div', 'r');
    for (const key of buttons) {
      if ('callback_data' in key) {
        const data = key.callback_data;
        row.append(button(key.text, () => actions.press(message.message_id, data)));
      } else if ('url' in key) {
        const url = key.url;
        row.append(button(`${key.text} ↗`, () => actions.open(url)));
      } else {
        const disabled = button(key.text, () => undefined);
        disabled.disabled = true;
        row.append(disabled);
      }
    }
    box.append(row);
  }
  return box;
}

function renderMedia(message: Message): HTMLElement {
  const box = el('div', 'media');
  if ('photo' in message) {
    const best = message.photo.at(-1);
    // Width and height up front keep the log from jumping when the picture arrives.
    if (best !== undefined)
      box.append(
        el('img', 'photo', undefined, {
          src: fileUrl(best.file_id),
          alt: 'Photo',
          width: String(best.width),
          height: String(best.height),
        }),
      );
  } else if ('animation' in message) {
    const video = el('video', 'animation', undefined, { src: fileUrl(message.animation.file_id) });
    video.muted = true;
    video.loop = true;
    video.autoplay = true;
    video.playsInline = true;
    box.append(video);
  } else if ('video' in message) {
    box.append(
      el('video', 'video', undefined, {
        src: fileUrl(message.video.file_id),
        controls: '',
        preload: 'metadata',
        'aria-label': 'Video',
      }),
    );
  } else if ('video_note' in message) {
    box.append(
      el('video', 'video-note', undefined, {
        src: fileUrl(message.video_note.file_id),
        controls: '',
        preload: 'metadata',
        'aria-label': 'Video message',
      }),
    );
  } else if ('voice' in message) {
    box.append(el('span', 'label', '🎤 Voice message'));
    box.append(
      el('audio', '', undefined, {
        src: fileUrl(message.voice.file_id),
        controls: '',
        preload: 'none',
      }),
    );
  } else if ('audio' in message) {
    const { title, performer } = message.audio;
    box.append(
      el('span', 'label', `🎵 ${[performer, title].filter(Boolean).join(' — ') || 'Audio'}`),
    );
    box.append(
      el('audio', '', undefined, {
        src: fileUrl(message.audio.file_id),
        controls: '',
        preload: 'none',
      }),
    );
  } else if ('document' in message) {
    const { file_name: name = 'file', file_size: size } = message.document;
    const link = el('a', 'file', `📄 ${name}`, {
      href: fileUrl(message.document.file_id),
      download: name,
    });
    box.append(link);
    if (size !== undefined)
      box.append(el('span', 'size', `${Math.max(1, Math.round(size / 1024))} KB`));
  } else if ('sticker' in message) {
    box.append(
      el('img', 'sticker', undefined, {
        src: fileUrl(message.sticker.file_id),
        alt: `${message.sticker.emoji ?? ''} Sticker`,
      }),
    );
  } else if ('contact' in message) {
    const { first_name: first, last_name: last, phone_number: phone } = message.contact;
    box.append(el('div', 'card', `👤 ${[first, last].filter(Boolean).join(' ')}`, { dir: 'auto' }));
    box.append(el('div', 'card-sub', phone));
  } else if ('location' in message) {
    const { latitude, longitude } = message.location;
    box.append(el('div', 'card', '📍 Location'));
    box.append(el('div', 'card-sub', `${latitude.toFixed(4)}, ${longitude.toFixed(4)}`));
  } else if ('poll' in message) {
    box.append(el('div', 'card', `📊 ${message.poll.question}`, { dir: 'auto' }));
    for (const option of message.poll.options)
      box.append(el('div', 'poll-option', option.text, { dir: 'auto' }));
  } else if ('dice' in message) {
    box.append(el('div', 'dice', `${message.dice.emoji} ${message.dice.value}`));
  }
  return box;
}
