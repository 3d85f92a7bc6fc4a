// The shared-state port of hamdam and its two adapters.

// The port
export { DEFAULT_STORE_LIMITS } from './chat-store.js';
export type {
  ChatStore,
  StoreLimits,
  StoredProfile,
  UserState,
  UserStatus,
  Payload,
  FindRequest,
  FindResult,
  StopRequest,
  StopResult,
  RelayRequest,
  RelayResult,
  SayRequest,
  BlockedResult,
  Claimed,
  Delivered,
  Settled,
  FsmState,
  FsmRecord,
  EndedChat,
} from './chat-store.js';

// Adapters
export { RedisChatStore } from './redis-chat-store.js';
export type { RedisChatStoreOptions, RedisClient } from './redis-chat-store.js';
export { MemoryChatStore } from './memory-chat-store.js';

// Errors
export { STORE_ERRORS, StoreUnavailableError, StoreCorruptError } from './errors.js';
