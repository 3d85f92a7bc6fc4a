export { createEmulator, type Emulator } from './emulator.js';
export type { EmulatorOptions } from './emulator-options.js';
export type { ChatLogEntry, CopiedFrom } from './chat-log.js';
export type { FaultSpec } from './fault-injector.js';
export type { EmulatorStats } from './stats.js';
export type { WebhookInfo } from './emulator-state.js';
export type {
  BotUser,
  CallbackQuery,
  ChatMember,
  ChatMemberUpdated,
  Document,
  ForceReply,
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  KeyboardButton,
  Message,
  PhotoSize,
  PrivateChat,
  ReplyKeyboardMarkup,
  ReplyKeyboardRemove,
  ReplyMarkup,
  Sticker,
  Update,
  UpdateType,
  User,
  Video,
  Voice,
} from './telegram-types.js';
