/**
 * The subset of Telegram Bot API object shapes that the emulator produces.
 * Field names follow the Bot API exactly so that bots can consume them unchanged.
 */

export interface User {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface BotUser extends User {
  can_join_groups: boolean;
  can_read_all_group_messages: boolean;
  supports_inline_queries: boolean;
}

export interface PrivateChat {
  id: number;
  type: 'private';
  first_name: string;
  last_name?: string;
  username?: string;
}

export interface PhotoSize {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size: number;
}

export interface Sticker {
  file_id: string;
  file_unique_id: string;
  type: 'regular';
  width: number;
  height: number;
  is_animated: boolean;
  is_video: boolean;
  emoji: string;
  file_size: number;
}

export interface Voice {
  file_id: string;
  file_unique_id: string;
  duration: number;
  mime_type: string;
  file_size: number;
}

export interface Video {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  duration: number;
  mime_type: string;
  file_size: number;
}

export interface Document {
  file_id: string;
  file_unique_id: string;
  file_name: string;
  mime_type: string;
  file_size: number;
}

export interface InlineKeyboardButton {
  text: string;
  callback_data?: string;
  url?: string;
  switch_inline_query?: string;
  switch_inline_query_current_chat?: string;
  copy_text?: { text: string };
  web_app?: { url: string };
  pay?: boolean;
}

export interface InlineKeyboardMarkup {
  inline_keyboard: InlineKeyboardButton[][];
}

export interface KeyboardButton {
  text: string;
  request_contact?: boolean;
  request_location?: boolean;
}

export interface ReplyKeyboardMarkup {
  keyboard: KeyboardButton[][];
  is_persistent?: boolean;
  resize_keyboard?: boolean;
  one_time_keyboard?: boolean;
  input_field_placeholder?: string;
  selective?: boolean;
}

export interface ReplyKeyboardRemove {
  remove_keyboard: true;
  selective?: boolean;
}

export interface ForceReply {
  force_reply: true;
  input_field_placeholder?: string;
  selective?: boolean;
}

export type ReplyMarkup =
  InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;

export interface Message {
  message_id: number;
  from: User;
  chat: PrivateChat;
  date: number;
  edit_date?: number;
  media_group_id?: string;
  has_protected_content?: true;
  reply_to_message?: Message;
  text?: string;
  entities?: MessageEntity[];
  caption?: string;
  photo?: PhotoSize[];
  sticker?: Sticker;
  voice?: Voice;
  video?: Video;
  document?: Document;
  /** Telegram only shows inline keyboards on the message itself. */
  reply_markup?: InlineKeyboardMarkup;
}

/** Only the kind the emulator detects in users' text: commands, as Telegram marks them. */
export interface MessageEntity {
  type: 'bot_command';
  offset: number;
  length: number;
}

export interface CallbackQuery {
  id: string;
  from: User;
  message: Message;
  chat_instance: string;
  data: string;
}

export interface ChatMember {
  user: User;
  status: 'member' | 'kicked';
  until_date?: number;
}

export interface ChatMemberUpdated {
  chat: PrivateChat;
  from: User;
  date: number;
  old_chat_member: ChatMember;
  new_chat_member: ChatMember;
}

export interface Update {
  update_id: number;
  message?: Message;
  callback_query?: CallbackQuery;
  my_chat_member?: ChatMemberUpdated;
}

export type UpdateType = 'message' | 'callback_query' | 'my_chat_member';
