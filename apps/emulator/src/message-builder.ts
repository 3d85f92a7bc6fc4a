import type {
  Chat,
  CommonMessageBundle,
  InlineKeyboardMarkup,
  Message,
  MessageOriginChannel,
  MessageOriginHiddenUser,
  MessageOriginUser,
  User,
} from '@hamdam/telegram';

// Telegram's Message is a union of one interface per kind of content, which describes what
// arrives well but makes building one field by field awkward. The emulator builds every
// message from two halves instead: the envelope (who, where, when, reply, forward, flags)
// and the content (exactly one kind: text, photo, contact, ...), each fully typed.

/** Every message the emulator makes: a user's or the bot's, in a private chat; never a service message. */
export type ChatMessage = CommonMessageBundle;

/** What a message carries besides its content. */
export interface Envelope {
  readonly message_id: number;
  readonly from: User;
  readonly chat: Chat.PrivateChat;
  readonly date: number;
  readonly edit_date?: number;
  readonly reply_to_message?: ReplyTarget;
  readonly forward_origin?: ForwardOrigin;
  readonly has_protected_content?: true;
  readonly media_group_id?: string;
  readonly reply_markup?: InlineKeyboardMarkup;
}

/** A replied-to message as Telegram embeds it: without its own reply_to_message. */
export type ReplyTarget = NonNullable<Message.CommonMessage['reply_to_message']>;

/** The origins a forwarded message can name, each with the date of the original (Bot API 7.0). */
export type ForwardOrigin =
  | (MessageOriginUser & { readonly date: number })
  | (MessageOriginHiddenUser & { readonly date: number })
  | (MessageOriginChannel & { readonly date: number });

type EnvelopeKey = keyof Message.CommonMessage | 'media_group_id' | 'has_media_spoiler';
type ContentOf<M> = Omit<M, EnvelopeKey>;

export type TextContent = ContentOf<Message.TextMessage>;
export type PhotoContent = ContentOf<Message.PhotoMessage>;
export type VideoContent = ContentOf<Message.VideoMessage>;
export type AnimationContent = ContentOf<Message.AnimationMessage>;
export type AudioContent = ContentOf<Message.AudioMessage>;
export type DocumentContent = ContentOf<Message.DocumentMessage>;
export type VoiceContent = ContentOf<Message.VoiceMessage>;
export type StickerContent = ContentOf<Message.StickerMessage>;
export type VideoNoteContent = ContentOf<Message.VideoNoteMessage>;
export type ContactContent = ContentOf<Message.ContactMessage>;
export type LocationContent = ContentOf<Message.LocationMessage>;
export type PollContent = ContentOf<Message.PollMessage>;
export type DiceContent = ContentOf<Message.DiceMessage>;

/** Content that can carry a caption. */
export type CaptionedContent =
  PhotoContent | VideoContent | AnimationContent | AudioContent | DocumentContent | VoiceContent;

export type MessageContent =
  | TextContent
  | CaptionedContent
  | StickerContent
  | VideoNoteContent
  | ContactContent
  | LocationContent
  | PollContent
  | DiceContent;

export function buildMessage(envelope: Envelope, content: MessageContent): ChatMessage {
  return { ...envelope, ...content };
}

/** A message as it appears inside another's reply_to_message: without a reply of its own. */
export function asReplyTarget(message: ChatMessage): ReplyTarget {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- dropped on purpose
  const { reply_to_message, ...target } = message;
  // @telegraf/types spells "no nested reply" as `reply_to_message: undefined` intersected with
  // the optional field, which exactOptionalPropertyTypes makes `never`: no value can satisfy
  // it, so this one conversion is asserted rather than checked.
  return target as ReplyTarget;
}

/** Kinds of content, in the order they are recognised (an animation also carries a document). */
export const CONTENT_KINDS = [
  'text',
  'animation',
  'photo',
  'video',
  'audio',
  'document',
  'voice',
  'sticker',
  'video_note',
  'contact',
  'location',
  'poll',
  'dice',
] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

export function contentKind(content: MessageContent | ChatMessage): ContentKind {
  for (const kind of CONTENT_KINDS) if (kind in content) return kind;
  // Every message the emulator builds has one of the kinds above.
  throw new TypeError('message has no content the emulator knows');
}

export function isCaptioned(content: MessageContent): content is CaptionedContent {
  return (
    'photo' in content ||
    'video' in content ||
    'animation' in content ||
    'audio' in content ||
    'document' in content ||
    'voice' in content
  );
}

/** The same content with a new caption, or none; caption entities go with the old caption. */
export function withCaption(
  content: CaptionedContent,
  caption: string | undefined,
): CaptionedContent {
  const next = { ...content };
  delete next.caption_entities;
  if (caption === undefined) delete next.caption;
  else next.caption = caption;
  return next;
}

export function textOf(message: MessageContent | ChatMessage): string | undefined {
  return 'text' in message ? message.text : undefined;
}

export function captionOf(message: MessageContent | ChatMessage): string | undefined {
  return 'caption' in message ? message.caption : undefined;
}

export function mediaGroupOf(message: ChatMessage): string | undefined {
  return 'media_group_id' in message ? message.media_group_id : undefined;
}
