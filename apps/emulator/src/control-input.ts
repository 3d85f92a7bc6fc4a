import { ControlError } from './api-error.js';
import { BodyReader } from './body-reader.js';
import {
  readEditFields,
  readMessageFields,
  type EditInput,
  type MessageInput,
} from './control-message-input.js';
import { FAULT_CODES, type FaultCode, type FaultSpec } from './fault-injector.js';
import type { NewUser, UserPatch } from './user-directory.js';

const USERNAME = /^[A-Za-z][A-Za-z0-9_]{4,31}$/;
const LANGUAGE_CODE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const MAX_BATCH = 10_000;
const MAX_ID = 2_147_483_647;

export interface CallbackInput {
  readonly messageId: number;
  readonly data: string;
}

export type BatchItem =
  | { readonly userId: number; readonly kind: 'message'; readonly input: MessageInput }
  | { readonly userId: number; readonly kind: 'edit'; readonly input: EditInput }
  | { readonly userId: number; readonly kind: 'callback'; readonly input: CallbackInput };

export function readNewUser(body: unknown): NewUser {
  const reader = new BodyReader(body);
  const user: NewUser = {};
  const id = reader.optionalInt('id', 1, Number.MAX_SAFE_INTEGER);
  const firstName = reader.optionalString('first_name', 1, 64);
  const lastName = reader.optionalString('last_name', 1, 64);
  const username = reader.optionalString('username', 5, 32, USERNAME);
  const languageCode = reader.optionalString('language_code', 2, 35, LANGUAGE_CODE);
  reader.done();
  if (id !== undefined) user.id = id;
  if (firstName !== undefined) {
    if (firstName.trim() === '') throw new ControlError(400, 'body: first_name must not be blank');
    user.first_name = firstName;
  }
  if (lastName !== undefined) user.last_name = lastName;
  if (username !== undefined) user.username = username;
  if (languageCode !== undefined) user.language_code = languageCode;
  return user;
}

/** A rename or a language change; `null` removes an optional field. */
export function readUserPatch(body: unknown): UserPatch {
  const reader = new BodyReader(body);
  const raw = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const patch: UserPatch = {};
  const firstName = reader.optionalString('first_name', 1, 64);
  const lastName = reader.optionalString('last_name', 1, 64);
  const username = reader.optionalString('username', 5, 32, USERNAME);
  const languageCode = reader.optionalString('language_code', 2, 35, LANGUAGE_CODE);
  reader.done();
  if (firstName !== undefined) {
    if (firstName.trim() === '') throw new ControlError(400, 'body: first_name must not be blank');
    patch.first_name = firstName;
  }
  const clearable = [
    ['last_name', lastName],
    ['username', username],
    ['language_code', languageCode],
  ] as const;
  for (const [name, value] of clearable) {
    if (value !== undefined) patch[name] = value;
    else if (raw[name] === null) patch[name] = null;
  }
  if (Object.keys(patch).length === 0)
    throw new ControlError(
      400,
      'body: give at least one of first_name, last_name, username, language_code',
    );
  return patch;
}

export function readCallbackInput(body: unknown, where = 'body'): CallbackInput {
  const reader = new BodyReader(body, where);
  const input = readCallbackFields(reader, where);
  reader.done();
  return input;
}

export function readBlocked(body: unknown): boolean {
  const reader = new BodyReader(body);
  const blocked = reader.bool('blocked');
  reader.done();
  return blocked;
}

export function readLatency(body: unknown): { ms: number; after: boolean } {
  const reader = new BodyReader(body);
  const ms = reader.int('ms', 0, 60_000);
  const after = reader.optionalBool('after') ?? false;
  reader.done();
  return { ms, after };
}

/** `isMethod` maps any spelling to the canonical method name, or undefined if unknown. */
export function readFault(
  body: unknown,
  canonicalMethod: (name: string) => string | undefined,
): FaultSpec {
  const reader = new BodyReader(body);
  const method = reader.optionalString('method', 1, 64);
  const chatId = reader.optionalInt('chat_id', -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  const count = reader.int('count', 1, 1_000_000);
  const errorCode = reader.int('error_code', 400, 500);
  const retryAfter = reader.optionalInt('retry_after', 1, 86_400);
  const description = reader.optionalString('description', 1, 1_000);
  reader.done();
  if (!isFaultCode(errorCode))
    throw new ControlError(400, `body: error_code must be one of ${FAULT_CODES.join(', ')}`);
  const spec: FaultSpec = { count, error_code: errorCode };
  if (method !== undefined) {
    const canonical = canonicalMethod(method);
    if (canonical === undefined)
      throw new ControlError(
        400,
        `body: method "${method}" is not a Bot API method the emulator serves`,
      );
    spec.method = canonical;
  }
  if (chatId !== undefined) spec.chat_id = chatId;
  if (retryAfter !== undefined) {
    if (errorCode !== 429)
      throw new ControlError(400, 'body: retry_after only applies to error_code 429');
    spec.retry_after = retryAfter;
  }
  if (description !== undefined) spec.description = description;
  return spec;
}

export function readBatch(body: unknown): BatchItem[] {
  const reader = new BodyReader(body);
  const updates = reader.optionalArray('updates');
  reader.done();
  if (updates === undefined) throw new ControlError(400, 'body: updates is required');
  if (updates.length === 0 || updates.length > MAX_BATCH) {
    throw new ControlError(400, `body: updates must hold 1-${MAX_BATCH} items`);
  }
  return updates.map((item, index): BatchItem => {
    const where = `updates[${index}]`;
    const itemReader = new BodyReader(item, where);
    const userId = itemReader.int('user_id', 1, Number.MAX_SAFE_INTEGER);
    const kind = itemReader.string('kind', 1, 16);
    let parsed: BatchItem;
    if (kind === 'message') parsed = { userId, kind, input: readMessageFields(itemReader, where) };
    else if (kind === 'edit') parsed = { userId, kind, input: readEditFields(itemReader, where) };
    else if (kind === 'callback')
      parsed = { userId, kind, input: readCallbackFields(itemReader, where) };
    else throw new ControlError(400, `${where}: kind must be "message", "edit" or "callback"`);
    itemReader.done();
    return parsed;
  });
}

function readCallbackFields(reader: BodyReader, where: string): CallbackInput {
  const messageId = reader.int('message_id', 1, MAX_ID);
  const data = reader.string('data', 1, 64);
  if (Buffer.byteLength(data) > 64)
    throw new ControlError(400, `${where}: data must be at most 64 bytes`);
  return { messageId, data };
}

function isFaultCode(code: number): code is FaultCode {
  return (FAULT_CODES as readonly number[]).includes(code);
}
