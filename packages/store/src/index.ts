// The shared state of hamdam: narrow ports, one Redis adapter (a library of Lua functions on
// hash-tagged keys), run on a Redis server, a Redis Cluster or the embedded in-memory engine.

// Ports
export type { StateStore, StoreLimits, SendLimits, LimitName, LimitSpec } from './state-store.js';
export { DEFAULT_STORE_LIMITS, STORE_LIMITS } from './state-store.js';
export type {
  Pairing,
  Actor,
  StartRequest,
  StartResult,
  FindRequest,
  FindResult,
  Ended,
  StopResult,
  RelayRequest,
  RelayResult,
  EditRequest,
  EditResult,
} from './pairing.js';
export type {
  Profiles,
  UserView,
  UserStatus,
  ChangeRequest,
  ChangeResult,
  AskAgeResult,
  EraseResult,
  RestoredUser,
  BanReason,
} from './profiles.js';
export type {
  Moderation,
  ReportResult,
  ReasonRequest,
  ReasonResult,
  BlockResult,
} from './moderation.js';
export type {
  Outbox,
  Payload,
  SayRequest,
  Delivered,
  Settled,
  Claimed,
  OutboxItem,
} from './outbox.js';
export type {
  Journal,
  JournalEntry,
  ChatEnded,
  ProfileSaved,
  ReportMade,
  BlockMade,
  BanChanged,
  BotBlocked,
  BotStarted,
  Erased,
  UnknownEntry,
} from './journal.js';
export type { Upkeep, SweepResult, ClusterStats } from './upkeep.js';
export type {
  Broadcasts,
  BroadcastPage,
  BroadcastRequest,
  BroadcastStatus,
  BroadcastCancelResult,
  BroadcastStartResult,
} from './broadcasts.js';

// Opening a store
export { openRedisStateStore, openEmbeddedStateStore } from './open-state-store.js';
export type { StateStoreOptions } from './open-state-store.js';
export type { RedisClient } from './redis/lua-runner.js';
export { connectRedis, openRedis } from './redis/connect-redis.js';
export type { RedisConnection } from './redis/connect-redis.js';

// Errors
export {
  STORE_ERRORS,
  StoreUnavailableError,
  StoreCorruptError,
  StoreScriptError,
  StoreVersionError,
} from './errors.js';
