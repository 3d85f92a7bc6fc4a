// The shared state of hamdam: three narrow ports, one Redis adapter (Lua scripts on
// hash-tagged keys), run on a Redis server, a Redis Cluster or the embedded in-memory engine.

// Ports
export type { StateStore, StoreLimits } from './state-store.js';
export { DEFAULT_STORE_LIMITS } from './state-store.js';
export type {
  Pairing,
  StoredProfile,
  UserState,
  UserStatus,
  FindRequest,
  FindResult,
  StopRequest,
  StopResult,
  BlockedResult,
  RelayRequest,
  RelayResult,
} from './pairing.js';
export type {
  Outbox,
  Payload,
  SayRequest,
  Delivered,
  Settled,
  Claimed,
  SendLimits,
} from './outbox.js';
export type { Journal, JournalEntry, ChatEnded, UnknownEntry } from './journal.js';

// Opening a store
export { openRedisStateStore, openEmbeddedStateStore } from './open-state-store.js';
export type { StateStoreOptions } from './open-state-store.js';
export type { RedisClient } from './redis/script-runner.js';

// Errors
export {
  STORE_ERRORS,
  StoreUnavailableError,
  StoreCorruptError,
  StoreScriptError,
} from './errors.js';
