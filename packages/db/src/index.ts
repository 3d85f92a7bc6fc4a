// Opening a database
export { createPostgresDatabase, type PostgresDatabaseOptions } from './postgres-database.js';
export { createPgliteDatabase, type PgliteDatabaseOptions } from './pglite-database.js';
export type { DatabaseHandle, PoolStats } from './database-handle.js';

// Schema and migrations
export {
  AGE_LIMITS,
  GENDERS,
  WANTS,
  type BlocksTable,
  type ChatsTable,
  type Database,
  type Gender,
  type ReportsTable,
  type UsersTable,
  type Wants,
} from './schema.js';
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
export { DatabaseClosedError, ERROR_CODES, MigrationError, type ErrorCode } from './errors.js';
