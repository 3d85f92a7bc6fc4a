// The client
export { BotApi, type BotApiOptions, type CallOptions } from './bot-api.js';

// Errors it throws
export {
  BotApiClosedError,
  ERROR_CODES,
  NetworkError,
  ProtocolError,
  TelegramError,
  type ErrorCode,
  type TelegramErrorDetails,
} from './errors.js';

// Method parameters
export type {
  AnswerCallbackQueryParams,
  ChatId,
  CopyMessageParams,
  CopyMessagesParams,
  DeleteMessageParams,
  DeleteWebhookParams,
  EditMessageReplyMarkupParams,
  EditMessageTextParams,
  LinkPreviewOptions,
  ReplyParameters,
  SendChatActionParams,
  SendMessageParams,
  SetWebhookParams,
} from './params.js';

// Telegram objects
export {
  CHAT_ACTIONS,
  PARSE_MODES,
  UPDATE_KINDS,
  type Animation,
  type Audio,
  type CallbackQuery,
  type Chat,
  type ChatAction,
  type ChatMember,
  type ChatMemberUpdated,
  type Contact,
  type Document,
  type FileRef,
  type InlineKeyboardButton,
  type InlineKeyboardMarkup,
  type KeyboardButton,
  type Location,
  type Message,
  type MessageId,
  type ParseMode,
  type PhotoSize,
  type ReplyKeyboardMarkup,
  type ReplyKeyboardRemove,
  type ReplyMarkup,
  type Sticker,
  type Update,
  type UpdateKind,
  type User,
  type Video,
  type VideoNote,
  type Voice,
  type WebhookInfo,
} from './types.js';
