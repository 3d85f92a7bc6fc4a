import {
  DatabaseUnavailableError,
  getUserById,
  isDatabaseUnavailable,
  updateProfile,
  upsertUser,
  type DatabaseHandle,
} from '@hamdam/db';
import {
  DEFAULT_PROFILE,
  isGender,
  isWants,
  type Profile,
  type ProfilePatch,
} from '@hamdam/domain';

/** Who the users are (Postgres): what the router needs from it. */
export interface UserDirectory {
  /** Creates or refreshes the user; idempotent. */
  register(
    telegramId: number,
    languageCode: string | null,
  ): Promise<{ uid: number; profile: Profile }>;
  /** Applies a profile change and returns the whole profile as stored. */
  updateProfile(uid: number, patch: ProfilePatch): Promise<Profile>;
}

export function createUserDirectory(database: DatabaseHandle): UserDirectory {
  return {
    async register(telegramId, languageCode) {
      const row = await classified(() => upsertUser(database.db, { telegramId, languageCode }));
      return { uid: row.id, profile: profileOf(row) };
    },
    async updateProfile(uid, patch) {
      const row = await classified(async () => {
        await updateProfile(database.db, uid, patch);
        return getUserById(database.db, uid);
      });
      if (!row) throw new Error(`user ${uid} vanished`);
      return profileOf(row);
    },
  };
}

function profileOf(row: { gender: string | null; wants: string }): Profile {
  return {
    gender: isGender(row.gender) ? row.gender : DEFAULT_PROFILE.gender,
    wants: isWants(row.wants) ? row.wants : DEFAULT_PROFILE.wants,
  };
}

/**
 * Postgres out of reach becomes DatabaseUnavailableError (the webhook answers 503 and Telegram
 * redelivers); anything else (a constraint violation, a bug) passes through unchanged.
 */
async function classified<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw isDatabaseUnavailable(err) ? new DatabaseUnavailableError({ cause: err }) : err;
  }
}
