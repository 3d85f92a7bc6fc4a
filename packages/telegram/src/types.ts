// The Telegram objects hamdam reads or sends, hand-written from the Bot API reference and
// cut down to the fields the bot uses. Telegram adds fields over time; unknown ones are
// simply ignored, so these shapes describe what we rely on, not everything that arrives.

export interface User {
  readonly id: number;
  readonly is_bot: boolean;
  readonly first_name: string;
  readonly last_name?: string;
  readonly username?: string;
  readonly language_code?: string;
}

export interface Chat {
  readonly id: number;
  readonly type: 'private' | 'group' | 'supergroup' | 'channel';
  readonly title?: string;
  readonly username?: string;
  readonly first_name?: string;
  readonly last_name?: string;
}

// File-bearing media share this core; the bot only relays them by message id and never
// downloads them, so sizes and thumbnails are left out.
export interface FileRef {
  readonly file_id: string;
  readonly file_unique_id: string;
  readonly file_size?: number;
}

export interface PhotoSize extends FileRef {
  readonly width: number;
  readonly height: number;
}

export interface Sticker extends FileRef {
  readonly type: 'regular' | 'mask' | 'custom_emoji';
  readonly width: number;
  readonly height: number;
  readonly is_animated: boolean;
  readonly is_video: boolean;
  readonly emoji?: string;
}

export interface Voice extends FileRef {
  readonly duration: number;
  readonly mime_type?: string;
}

export interface Video extends FileRef {
  readonly width: number;
  readonly height: number;
  readonly duration: number;
  readonly mime_type?: string;
}

export interface VideoNote extends FileRef {
  readonly length: number;
  readonly duration: number;
}

export interface Document extends FileRef {
  readonly file_name?: string;
  readonly mime_type?: string;
}

export interface Animation extends FileRef {
  readonly width: number;
  readonly height: number;
  readonly duration: number;
}

export interface Audio extends FileRef {
  readonly duration: number;
  readonly performer?: string;
  readonly title?: string;
}

export interface Location {
  readonly latitude: number;
  readonly longitude: number;
}

export interface Contact {
  readonly phone_number: string;
  readonly first_name: string;
  readonly last_name?: string;
  readonly user_id?: number;
}

export interface Message {
  readonly message_id: number;
  readonly date: number;
  readonly chat: Chat;
  readonly from?: User;
  readonly text?: string;
  readonly caption?: string;
  readonly photo?: readonly PhotoSize[];
  readonly sticker?: Sticker;
  readonly voice?: Voice;
  readonly video?: Video;
  readonly video_note?: VideoNote;
  readonly document?: Document;
  readonly animation?: Animation;
  readonly audio?: Audio;
  readonly location?: Location;
  readonly contact?: Contact;
  readonly media_group_id?: string;
  readonly reply_to_message?: Message;
  readonly reply_markup?: InlineKeyboardMarkup;
}

export interface MessageId {
  readonly message_id: number;
}

export interface CallbackQuery {
  readonly id: string;
  readonly from: User;
  readonly message?: Message;
  readonly chat_instance: string;
  readonly data?: string;
}

export interface ChatMember {
  readonly status: 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';
  readonly user: User;
}

// Arrives as `my_chat_member` when a user blocks (new status "kicked") or unblocks the bot.
export interface ChatMemberUpdated {
  readonly chat: Chat;
  readonly from: User;
  readonly date: number;
  readonly old_chat_member: ChatMember;
  readonly new_chat_member: ChatMember;
}

export interface Update {
  readonly update_id: number;
  readonly message?: Message;
  readonly edited_message?: Message;
  readonly callback_query?: CallbackQuery;
  readonly my_chat_member?: ChatMemberUpdated;
}

export interface InlineKeyboardButton {
  readonly text: string;
  readonly callback_data?: string;
  readonly url?: string;
}

export interface InlineKeyboardMarkup {
  readonly inline_keyboard: readonly (readonly InlineKeyboardButton[])[];
}

export interface KeyboardButton {
  readonly text: string;
}

export interface ReplyKeyboardMarkup {
  readonly keyboard: readonly (readonly (KeyboardButton | string)[])[];
  readonly resize_keyboard?: boolean;
  readonly one_time_keyboard?: boolean;
  readonly is_persistent?: boolean;
  readonly input_field_placeholder?: string;
}

export interface ReplyKeyboardRemove {
  readonly remove_keyboard: true;
}

export type ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove;

export interface WebhookInfo {
  readonly url: string;
  readonly has_custom_certificate: boolean;
  readonly pending_update_count: number;
  readonly ip_address?: string;
  readonly last_error_date?: number;
  readonly last_error_message?: string;
  readonly max_connections?: number;
  readonly allowed_updates?: readonly string[];
}

export const UPDATE_KINDS = [
  'message',
  'edited_message',
  'callback_query',
  'my_chat_member',
] as const satisfies readonly Exclude<keyof Update, 'update_id'>[];
export type UpdateKind = (typeof UPDATE_KINDS)[number];

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
] as const;
export type ChatAction = (typeof CHAT_ACTIONS)[number];

export const PARSE_MODES = ['HTML', 'MarkdownV2', 'Markdown'] as const;
export type ParseMode = (typeof PARSE_MODES)[number];
