// Telegram's objects and method signatures, from @telegraf/types: the typings telegraf itself
// is built on, so the router's context, this client and the emulator all agree on one
// definition instead of three hand-written ones drifting apart. This module picks what the
// project uses and adds the few names the Bot API reference has but the typings leave out.
import type {
  ApiMethods,
  ForceReply,
  InlineKeyboardMarkup,
  Opts as MethodOpts,
  ReplyKeyboardMarkup,
  ReplyKeyboardRemove,
  Ret as MethodRet,
  Update,
} from '@telegraf/types';

export type {
  Animation,
  Audio,
  BotCommand,
  BotCommandScope,
  CallbackQuery,
  Chat,
  ChatMember,
  ChatMemberBanned,
  ChatMemberMember,
  ChatMemberUpdated,
  CommonMessageBundle,
  Contact,
  Dice,
  Document,
  ForceReply,
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  KeyboardButton,
  LinkPreviewOptions,
  Location,
  Message,
  MessageEntity,
  MessageId,
  MessageOriginChannel,
  MessageOriginHiddenUser,
  MessageOriginUser,
  ParseMode,
  PhotoSize,
  Poll,
  PollOption,
  ReplyKeyboardMarkup,
  ReplyKeyboardRemove,
  ReplyParameters,
  Sticker,
  Update,
  User,
  UserFromGetMe,
  Video,
  VideoNote,
  Voice,
  WebhookInfo,
} from '@telegraf/types';

/** hamdam never uploads a file (media travel by file_id), so no method takes an InputFile. */
type NoUpload = never;

/** Every Bot API method, as a signature. */
export type BotMethods = ApiMethods<NoUpload>;
export type MethodName = keyof BotMethods;
/** The parameters of a method (`{}` for a method that takes none). */
export type Opts<M extends MethodName> = MethodOpts<NoUpload>[M];
/** What a method returns on success. */
export type Ret<M extends MethodName> = MethodRet<NoUpload>[M];

/** Any `reply_markup` a send method takes. */
export type ReplyMarkup =
  InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;

/** `chat_id` as the Bot API takes it: a numeric id or a `@username`. */
export type ChatId = Opts<'sendMessage'>['chat_id'];

/** The kinds of update: `message`, `callback_query`, `my_chat_member`, ... */
export type UpdateType = Exclude<UpdateKeys<Update>, 'update_id'>;
type UpdateKeys<T> = T extends T ? keyof T : never;

export type ChatAction = Opts<'sendChatAction'>['action'];

/** Every action sendChatAction accepts, for validating input. */
export const CHAT_ACTIONS = [
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
] as const satisfies readonly ChatAction[];
