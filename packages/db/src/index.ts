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

// Chats
export { recordChats, type ChatRecord } from './chats.js';

// Errors
export {
  DatabaseClosedError,
  DatabaseUnavailableError,
  ERROR_CODES,
  MigrationError,
  isDatabaseUnavailable,
  type ErrorCode,
} from './errors.js';
