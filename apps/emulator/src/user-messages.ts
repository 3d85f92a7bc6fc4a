import type { MessageEntity } from '@hamdam/telegram';
import { ControlError } from './api-error.js';
import { rewrite } from './chat-log.js';
import {
  diceFaces,
  type AlbumInput,
  type ContentInput,
  type EditInput,
  type MessageInput,
} from './control-message-input.js';
import { unixNow, type EmulatorState } from './emulator-state.js';
import {
  asReplyTarget,
  captionOf,
  isCaptioned,
  textOf,
  withCaption,
  type Envelope,
  type ForwardOrigin,
  type MessageContent,
} from './message-builder.js';
import { assertCanWrite, type InjectedUpdate } from './user-actions.js';
import type { UserRecord } from './user-directory.js';

/** Throws unless `sendUserMessage` would succeed; lets batches fail before injecting anything. */
export function checkUserMessage(
  state: EmulatorState,
  record: UserRecord,
  input: MessageInput,
): void {
  assertCanWrite(record);
  checkReplyTarget(record, input.replyToMessageId);
  const forward = input.forward;
  if (forward?.type === 'user' && !state.users.has(forward.userId))
    throw new ControlError(400, `forward_origin.user_id ${forward.userId} is not a known user`);
}

/** The user sends a message to the bot. */
export function sendUserMessage(
  state: EmulatorState,
  record: UserRecord,
  input: MessageInput,
): InjectedUpdate {
  checkUserMessage(state, record, input);
  let envelope: Envelope = {
    message_id: record.log.nextMessageId(),
    from: record.user,
    chat: record.chat,
    date: unixNow(),
  };
  if (input.mediaGroupId !== undefined)
    envelope = { ...envelope, media_group_id: input.mediaGroupId };
  const target =
    input.replyToMessageId === undefined ? undefined : record.log.find(input.replyToMessageId);
  if (target !== undefined)
    envelope = { ...envelope, reply_to_message: asReplyTarget(target.message) };
  if (input.forward !== undefined)
    envelope = { ...envelope, forward_origin: forwardOrigin(state, input.forward) };
  let content = contentOf(state, record, input.content);
  if (input.caption !== undefined && isCaptioned(content))
    content = withCaption(content, input.caption);
  const entry = state.record(record, envelope, content, false, undefined);
  const updateId = state.emitUpdate('message', record.chat.id, entry.message);
  return { update_id: updateId, message_id: envelope.message_id };
}

export function checkUserEdit(record: UserRecord, input: EditInput): void {
  assertCanWrite(record);
  const entry = record.log.find(input.messageId);
  if (entry === undefined || entry.fromBot)
    throw new ControlError(400, `message ${input.messageId} is not a message this user sent`);
  if (input.text !== undefined) {
    if (textOf(entry.content) === undefined)
      throw new ControlError(400, `message ${input.messageId} has no text to edit`);
    if (textOf(entry.content) === input.text)
      throw new ControlError(400, `message ${input.messageId} is not modified`);
  } else {
    if (!isCaptioned(entry.content))
      throw new ControlError(400, `message ${input.messageId} cannot have a caption`);
    const caption = input.caption === '' ? undefined : input.caption;
    if (captionOf(entry.content) === caption)
      throw new ControlError(400, `message ${input.messageId} is not modified`);
  }
}

/** The user edits one of their messages: Telegram sends `edited_message` with the same id. */
export function editUserMessage(
  state: EmulatorState,
  record: UserRecord,
  input: EditInput,
): InjectedUpdate {
  checkUserEdit(record, input);
  const entry = record.log.find(input.messageId);
  if (entry === undefined) throw new ControlError(400, `message ${input.messageId} not found`);
  let content = entry.content;
  if (input.text !== undefined) {
    content = { text: input.text };
    const entities = commandEntities(input.text);
    if (entities.length > 0) content = { ...content, entities };
  } else if (isCaptioned(content)) {
    content = withCaption(content, input.caption === '' ? undefined : input.caption);
  }
  rewrite(entry, { ...entry.envelope, edit_date: unixNow() }, content);
  const updateId = state.emitUpdate('edited_message', record.chat.id, entry.message);
  return { update_id: updateId, message_id: input.messageId };
}

/** The user sends 2-10 items as one album: consecutive messages sharing a media_group_id. */
export function sendAlbum(
  state: EmulatorState,
  record: UserRecord,
  input: AlbumInput,
): { media_group_id: string; results: InjectedUpdate[] } {
  assertCanWrite(record);
  checkReplyTarget(record, input.replyToMessageId);
  const mediaGroupId = state.nextMediaGroupId();
  const results = input.items.map((item) =>
    sendUserMessage(state, record, {
      content: { kind: item.kind },
      caption: item.caption,
      mediaGroupId,
      replyToMessageId: input.replyToMessageId,
      forward: undefined,
    }),
  );
  return { media_group_id: mediaGroupId, results };
}

/**
 * Telegram marks every `/command` (optionally `@botname`) that starts the text or follows
 * white space as a bot_command entity; bot frameworks route commands by these entities, not
 * by the text. Offsets count UTF-16 code units, as JavaScript strings do.
 */
export function commandEntities(text: string): MessageEntity[] {
  const out: MessageEntity[] = [];
  for (const match of text.matchAll(
    /(^|\s)(\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?)(?=$|\s)/g,
  )) {
    out.push({
      type: 'bot_command',
      offset: match.index + match[1]!.length,
      length: match[2]!.length,
    });
  }
  return out;
}

function checkReplyTarget(record: UserRecord, messageId: number | undefined): void {
  if (messageId !== undefined && record.log.find(messageId) === undefined) {
    throw new ControlError(400, `reply_to_message_id ${messageId} is not a message in this chat`);
  }
}

function contentOf(state: EmulatorState, record: UserRecord, input: ContentInput): MessageContent {
  switch (input.kind) {
    case 'text': {
      const entities = commandEntities(input.text);
      return entities.length > 0 ? { text: input.text, entities } : { text: input.text };
    }
    case 'photo':
      return { photo: state.files.photo() };
    case 'sticker':
      return { sticker: state.files.sticker() };
    case 'voice':
      return { voice: state.files.voice() };
    case 'video':
      return { video: state.files.video() };
    case 'document':
      return { document: state.files.document() };
    case 'animation':
      return state.files.animation();
    case 'audio':
      return { audio: state.files.audio() };
    case 'video_note':
      return { video_note: state.files.videoNote() };
    case 'contact': {
      if (input.contact !== 'own') {
        const { phoneNumber, firstName, lastName } = input.contact;
        const contact = { phone_number: phoneNumber, first_name: firstName };
        return { contact: lastName === undefined ? contact : { ...contact, last_name: lastName } };
      }
      // Sharing one's own contact reveals the phone number and the Telegram id.
      const { user } = record;
      const phone = `+98 912 ${String(user.id % 10_000_000).padStart(7, '0')}`;
      const own = { phone_number: phone, first_name: user.first_name, user_id: user.id };
      return {
        contact: user.last_name === undefined ? own : { ...own, last_name: user.last_name },
      };
    }
    case 'location':
      return { location: { latitude: input.latitude, longitude: input.longitude } };
    case 'poll':
      return {
        poll: {
          id: state.nextPollId(),
          question: input.question,
          options: input.options.map((text) => ({ text, voter_count: 0 })),
          total_voter_count: 0,
          is_closed: false,
          is_anonymous: true,
          type: 'regular',
          allows_multiple_answers: false,
        },
      };
    case 'dice':
      return {
        dice: {
          emoji: input.emoji,
          value: input.value ?? 1 + Math.floor(Math.random() * diceFaces(input.emoji)),
        },
      };
  }
}

function forwardOrigin(
  state: EmulatorState,
  input: NonNullable<MessageInput['forward']>,
): ForwardOrigin {
  // The original was sent a while ago; Telegram reports the original date.
  const date = unixNow() - 3_600;
  switch (input.type) {
    case 'user': {
      const sender = state.users.get(input.userId);
      if (sender === undefined) throw new ControlError(400, `user ${input.userId} not found`);
      return { type: 'user', sender_user: sender.user, date };
    }
    case 'hidden_user':
      return { type: 'hidden_user', sender_user_name: input.senderUserName, date };
    case 'channel':
      return {
        type: 'channel',
        chat: { id: -1_001_000_000_000 - input.messageId, type: 'channel', title: input.title },
        message_id: input.messageId,
        date,
      };
  }
}
