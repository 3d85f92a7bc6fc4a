// Opening a database
export { createPostgresDatabase, type PostgresDatabaseOptions } from './postgres-database.js';
export { createPgliteDatabase, type PgliteDatabaseOptions } from './pglite-database.js';
export type { DatabaseHandle, PoolStats } from './database-handle.js';

// Schema and migrations
export type { BlocksTable, ChatsTable, Database, ReportsTable, UsersTable } from './schema.js';
export { migrateToLatest } from './migrate-to-latest.js';

// Users
export {
  getUserById,
  updateProfile,
  upsertUser,
  type ProfilePatch,
  type UpsertedUser,
  type UpsertUserInput,
  type User,
} from './users.js';

// Chats and the journal's other records
export { recordChats, type ChatRecord } from './chats.js';
export {
  userIds,
  recordReports,
  recordBlocks,
  recordBans,
  recordUnbans,
  reachableUsers,
  countReachableUsers,
  savedUser,
  type SavedUser,
  type ReportRecord,
  type BanRecord,
} from './records.js';
export {
  saveProfiles,
  markBotBlocked,
  markBotStarted,
  type ProfileRecord,
} from './user-updates.js';

// Retention
export { eraseUsers, purgeOlderThan } from './retention.js';

// Errors
export {
  DatabaseClosedError,
  DatabaseUnavailableError,
  ERROR_CODES,
  MigrationError,
  isDatabaseUnavailable,
  type ErrorCode,
} from './errors.js';
