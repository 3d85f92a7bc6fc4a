import { badRequest, forbidden } from './api-error.js';
import type { EmulatorState } from './emulator-state.js';
import type { Params } from './params.js';
import type { UserRecord } from './user-directory.js';

/** A result that is already serialised, so hot paths serialise each message once. */
export class RawJson {
  readonly json: string;
  readonly description: string | undefined;

  constructor(json: string, description?: string) {
    this.json = json;
    this.description = description;
  }
}

export type MethodHandler = (state: EmulatorState, params: Params) => unknown;

/** Largest message_id accepted in parameters (Telegram's are 32-bit). */
export const MAX_MESSAGE_ID = 2_147_483_647;

/** The private chat named by a chat_id-like parameter. */
export function chatOf(state: EmulatorState, params: Params, name = 'chat_id'): UserRecord {
  const id = params.chatId(name);
  const record = state.users.get(id);
  if (record !== undefined) return record;
  // A user who deleted their account is Telegram's other final 403, beside blocking.
  if (name === 'chat_id' && state.users.wasDeleted(id)) throw forbidden('user is deactivated');
  throw badRequest('chat not found');
}

export function assertNotBlocked(record: UserRecord): void {
  if (record.blocked) throw forbidden('bot was blocked by the user');
}

/** Text after Telegram's trimming, with its limits. */
export function checkText(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') throw badRequest('message text is empty');
  if (trimmed.length > 4096) throw badRequest('message is too long');
  return trimmed;
}

export function checkCaption(caption: string): string | undefined {
  const trimmed = caption.trim();
  if (trimmed.length > 1024) throw badRequest('message caption is too long');
  return trimmed === '' ? undefined : trimmed;
}
