import { ControlError } from './api-error.js';
import { BodyReader } from './body-reader.js';
import { MEDIA_KINDS, type MediaKind } from './sample-files.js';

// What the control API accepts when a user writes, edits or sends an album. Everything is
// validated here, before any state changes, so a bad request changes nothing.

const MAX_ID = 2_147_483_647;
const PHONE = /^\+?[0-9 ()-]{5,20}$/;
/** Telegram's dice: 🎲 🎯 🎳 roll 1-6, 🏀 ⚽ 1-5, 🎰 1-64. */
const DICE_FACES: Readonly<Record<string, number>> = {
  '🎲': 6,
  '🎯': 6,
  '🎳': 6,
  '🏀': 5,
  '⚽': 5,
  '🎰': 64,
};
const CAPTIONED: ReadonlySet<string> = new Set([
  'photo',
  'video',
  'animation',
  'audio',
  'document',
  'voice',
]);

export type ContentInput =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: MediaKind }
  | { readonly kind: 'contact'; readonly contact: ContactInput | 'own' }
  | { readonly kind: 'location'; readonly latitude: number; readonly longitude: number }
  | { readonly kind: 'poll'; readonly question: string; readonly options: readonly string[] }
  | { readonly kind: 'dice'; readonly emoji: string; readonly value: number | undefined };

export interface ContactInput {
  readonly phoneNumber: string;
  readonly firstName: string;
  readonly lastName: string | undefined;
}

export type ForwardInput =
  | { readonly type: 'user'; readonly userId: number }
  | { readonly type: 'hidden_user'; readonly senderUserName: string }
  | { readonly type: 'channel'; readonly title: string; readonly messageId: number };

export interface MessageInput {
  readonly content: ContentInput;
  readonly caption: string | undefined;
  readonly mediaGroupId: string | undefined;
  readonly replyToMessageId: number | undefined;
  readonly forward: ForwardInput | undefined;
}

export interface EditInput {
  readonly messageId: number;
  readonly text: string | undefined;
  /** `null`-free: an empty caption removes it. */
  readonly caption: string | undefined;
}

export interface AlbumInput {
  readonly items: readonly { readonly kind: AlbumKind; readonly caption: string | undefined }[];
  readonly replyToMessageId: number | undefined;
}
type AlbumKind = 'photo' | 'video' | 'document' | 'audio';
const ALBUM_KINDS: readonly AlbumKind[] = ['photo', 'video', 'document', 'audio'];

export function readMessageInput(body: unknown, where = 'body'): MessageInput {
  const reader = new BodyReader(body, where);
  const input = readMessageFields(reader, where);
  reader.done();
  return input;
}

export function readMessageFields(reader: BodyReader, where: string): MessageInput {
  const fail = (problem: string): ControlError => new ControlError(400, `${where}: ${problem}`);
  const kinds: ContentInput[] = [];
  const text = reader.optionalString('text', 1, 4096);
  if (text !== undefined) {
    if (text.trim() === '') throw fail('text must not be blank');
    kinds.push({ kind: 'text', text });
  }
  for (const kind of MEDIA_KINDS) {
    const flag = reader.optionalBool(kind);
    if (flag === true) kinds.push({ kind });
    else if (flag === false) throw fail(`${kind} must be true or left out`);
  }
  const contact = reader.optionalValue('contact');
  if (contact !== undefined) kinds.push(readContact(contact, `${where}.contact`));
  const location = reader.optionalValue('location');
  if (location !== undefined) kinds.push(readLocation(location, `${where}.location`));
  const poll = reader.optionalValue('poll');
  if (poll !== undefined) kinds.push(readPoll(poll, `${where}.poll`));
  const dice = reader.optionalValue('dice');
  if (dice !== undefined) kinds.push(readDice(dice, `${where}.dice`));
  const content = kinds[0];
  if (content === undefined || kinds.length > 1) {
    throw fail(
      `give exactly one of text, ${MEDIA_KINDS.join(', ')}, contact, location, poll, dice`,
    );
  }
  const caption = reader.optionalString('caption', 0, 1024);
  const mediaGroupId = reader.optionalString('media_group_id', 1, 64);
  const replyToMessageId = reader.optionalInt('reply_to_message_id', 1, MAX_ID);
  const forwardValue = reader.optionalValue('forward_origin');
  const forward =
    forwardValue === undefined ? undefined : readForward(forwardValue, `${where}.forward_origin`);
  if (caption !== undefined && !CAPTIONED.has(content.kind)) {
    throw fail('caption is only allowed with photo, video, animation, audio, document or voice');
  }
  if (mediaGroupId !== undefined && !ALBUM_KINDS.some((kind) => kind === content.kind)) {
    throw fail('media_group_id is only allowed with photo, video, document or audio');
  }
  return {
    content,
    caption: caption === '' ? undefined : caption,
    mediaGroupId,
    replyToMessageId,
    forward,
  };
}

export function readEditInput(body: unknown, where = 'body'): EditInput {
  const reader = new BodyReader(body, where);
  const input = readEditFields(reader, where);
  reader.done();
  return input;
}

export function readEditFields(reader: BodyReader, where: string): EditInput {
  const messageId = reader.int('message_id', 1, MAX_ID);
  const text = reader.optionalString('text', 1, 4096);
  const caption = reader.optionalString('caption', 0, 1024);
  if ((text === undefined) === (caption === undefined))
    throw new ControlError(400, `${where}: give exactly one of text, caption`);
  if (text !== undefined && text.trim() === '')
    throw new ControlError(400, `${where}: text must not be blank`);
  return { messageId, text, caption };
}

export function readAlbumInput(body: unknown): AlbumInput {
  const reader = new BodyReader(body);
  const items = reader.optionalArray('items');
  const replyToMessageId = reader.optionalInt('reply_to_message_id', 1, MAX_ID);
  reader.done();
  if (items === undefined) throw new ControlError(400, 'body: items is required');
  if (items.length < 2 || items.length > 10)
    throw new ControlError(400, 'body: items must hold 2-10 photos, videos, documents or audios');
  const parsed = items.map((item, index) => {
    const where = `items[${index}]`;
    const itemReader = new BodyReader(item, where);
    const kinds = ALBUM_KINDS.filter((kind) => itemReader.optionalBool(kind) === true);
    const caption = itemReader.optionalString('caption', 0, 1024);
    itemReader.done();
    const kind = kinds[0];
    if (kind === undefined || kinds.length > 1)
      throw new ControlError(400, `${where}: give exactly one of ${ALBUM_KINDS.join(', ')}`);
    return { kind, caption: caption === '' ? undefined : caption };
  });
  // Telegram's albums: photos and videos mix; documents and audio files only with their own kind.
  const visual = parsed.every((item) => item.kind === 'photo' || item.kind === 'video');
  const same = parsed.every((item) => item.kind === parsed[0]?.kind);
  if (!visual && !same) {
    throw new ControlError(
      400,
      'body: an album mixes photos and videos only; documents and audio files go with their own kind',
    );
  }
  return { items: parsed, replyToMessageId };
}

function readContact(value: unknown, where: string): ContentInput {
  // `true` shares the user's own contact, as Telegram's "share my phone number" does.
  if (value === true) return { kind: 'contact', contact: 'own' };
  const reader = new BodyReader(value, where);
  const phoneNumber = reader.string('phone_number', 5, 20);
  const firstName = reader.string('first_name', 1, 64);
  const lastName = reader.optionalString('last_name', 1, 64);
  reader.done();
  if (!PHONE.test(phoneNumber))
    throw new ControlError(400, `${where}: phone_number must look like +98 912 345 6789`);
  return { kind: 'contact', contact: { phoneNumber, firstName, lastName } };
}

function readLocation(value: unknown, where: string): ContentInput {
  // `true` sends a sample place (Tehran's Azadi Tower) for a quick try.
  if (value === true) return { kind: 'location', latitude: 35.6997, longitude: 51.338 };
  const reader = new BodyReader(value, where);
  const latitude = reader.number('latitude', -90, 90);
  const longitude = reader.number('longitude', -180, 180);
  reader.done();
  return { kind: 'location', latitude, longitude };
}

function readPoll(value: unknown, where: string): ContentInput {
  const reader = new BodyReader(value, where);
  const question = reader.string('question', 1, 300);
  const options = reader.optionalArray('options');
  reader.done();
  if (
    options === undefined ||
    options.length < 2 ||
    options.length > 10 ||
    !options.every(
      (option): option is string =>
        typeof option === 'string' && option.trim() !== '' && option.length <= 100,
    )
  ) {
    throw new ControlError(400, `${where}: options must hold 2-10 strings of 1-100 characters`);
  }
  return { kind: 'poll', question, options };
}

function readDice(value: unknown, where: string): ContentInput {
  if (value === true) return { kind: 'dice', emoji: '🎲', value: undefined };
  const reader = new BodyReader(value, where);
  const emoji = reader.optionalString('emoji', 1, 4) ?? '🎲';
  const faces = DICE_FACES[emoji];
  if (faces === undefined)
    throw new ControlError(
      400,
      `${where}: emoji must be one of ${Object.keys(DICE_FACES).join(' ')}`,
    );
  const rolled = reader.optionalInt('value', 1, faces);
  reader.done();
  return { kind: 'dice', emoji, value: rolled };
}

export function diceFaces(emoji: string): number {
  return DICE_FACES[emoji] ?? 6;
}

function readForward(value: unknown, where: string): ForwardInput {
  const reader = new BodyReader(value, where);
  const type = reader.string('type', 1, 16);
  let origin: ForwardInput;
  if (type === 'user') origin = { type, userId: reader.int('user_id', 1, Number.MAX_SAFE_INTEGER) };
  else if (type === 'hidden_user')
    origin = { type, senderUserName: reader.string('sender_user_name', 1, 128) };
  else if (type === 'channel')
    origin = {
      type,
      title: reader.string('title', 1, 128),
      messageId: reader.int('message_id', 1, MAX_ID),
    };
  else throw new ControlError(400, `${where}: type must be "user", "hidden_user" or "channel"`);
  reader.done();
  return origin;
}
