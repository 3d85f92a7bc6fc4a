import type {
  ChatAction,
  ParseMode,
  ReplyMarkup,
  InlineKeyboardMarkup,
  UpdateKind,
} from './types.js';

// Parameters keep Telegram's snake_case names so an object can be checked against the Bot
// API reference field by field, and so it goes onto the wire unchanged.

export type ChatId = number | string;

export interface ReplyParameters {
  readonly message_id: number;
  readonly chat_id?: ChatId;
  readonly allow_sending_without_reply?: boolean;
}

export interface LinkPreviewOptions {
  readonly is_disabled?: boolean;
}

interface SendOptions {
  readonly disable_notification?: boolean;
  readonly protect_content?: boolean;
  readonly reply_parameters?: ReplyParameters;
  readonly reply_markup?: ReplyMarkup;
}

export interface SetWebhookParams {
  readonly url: string;
  readonly secret_token?: string;
  readonly max_connections?: number;
  readonly allowed_updates?: readonly UpdateKind[];
  readonly drop_pending_updates?: boolean;
  readonly ip_address?: string;
}

export interface DeleteWebhookParams {
  readonly drop_pending_updates?: boolean;
}

export interface SendMessageParams extends SendOptions {
  readonly chat_id: ChatId;
  readonly text: string;
  readonly parse_mode?: ParseMode;
  readonly link_preview_options?: LinkPreviewOptions;
}

export interface CopyMessageParams extends SendOptions {
  readonly chat_id: ChatId;
  readonly from_chat_id: ChatId;
  readonly message_id: number;
  readonly caption?: string;
  readonly parse_mode?: ParseMode;
}

export interface CopyMessagesParams {
  readonly chat_id: ChatId;
  readonly from_chat_id: ChatId;
  /** 1-100 ids in strictly increasing order; albums are kept together. */
  readonly message_ids: readonly number[];
  readonly disable_notification?: boolean;
  readonly protect_content?: boolean;
  readonly remove_caption?: boolean;
}

export interface EditMessageTextParams {
  readonly chat_id: ChatId;
  readonly message_id: number;
  readonly text: string;
  readonly parse_mode?: ParseMode;
  readonly link_preview_options?: LinkPreviewOptions;
  readonly reply_markup?: InlineKeyboardMarkup;
}

export interface EditMessageReplyMarkupParams {
  readonly chat_id: ChatId;
  readonly message_id: number;
  /** Absent removes the keyboard. */
  readonly reply_markup?: InlineKeyboardMarkup;
}

export interface AnswerCallbackQueryParams {
  readonly callback_query_id: string;
  readonly text?: string;
  readonly show_alert?: boolean;
  readonly cache_time?: number;
}

export interface DeleteMessageParams {
  readonly chat_id: ChatId;
  readonly message_id: number;
}

export interface SendChatActionParams {
  readonly chat_id: ChatId;
  readonly action: ChatAction;
}
