import type { BotCommand } from '@hamdam/telegram';
import { badRequest } from './api-error.js';
import type { MethodHandler } from './bot-method.js';
import type { EmulatorState } from './emulator-state.js';
import type { CommandScopeKey } from './command-store.js';
import { toInteger, type Params } from './params.js';
import { isRecord } from './reply-markup.js';

// setMyCommands and friends. The scope and list shapes follow the Bot API server; the
// checks on each command are Telegram's server-side ones, reported as it reports them.

const COMMAND = /^[a-z0-9_]{1,32}$/;
const LANGUAGE = /^[a-z]{2}$/;
const MAX_COMMANDS = 100;

export const setMyCommands: MethodHandler = (state, params) => {
  const commands = readCommands(params);
  const { scope, languageCode } = readScope(state, params);
  state.commands.set(scope, languageCode, commands);
  return true;
};

export const getMyCommands: MethodHandler = (state, params) => {
  const { scope, languageCode } = readScope(state, params);
  return state.commands.get(scope, languageCode);
};

export const deleteMyCommands: MethodHandler = (state, params) => {
  const { scope, languageCode } = readScope(state, params);
  state.commands.set(scope, languageCode, []);
  return true;
};

function readCommands(params: Params): BotCommand[] {
  const value = params.optionalJson('commands', () =>
    badRequest("can't parse commands JSON object"),
  );
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw badRequest('Expected an Array of BotCommand');
  if (value.length > MAX_COMMANDS) throw badRequest('BOT_COMMANDS_TOO_MUCH');
  return value.map((item): BotCommand => {
    if (!isRecord(item)) throw badRequest("can't parse BotCommand: expected an Object");
    const { command, description } = item;
    if (typeof command !== 'string')
      throw badRequest('can\'t parse BotCommand: Field "command" must be of type String');
    if (typeof description !== 'string')
      throw badRequest('can\'t parse BotCommand: Field "description" must be of type String');
    // Telegram lower-cases nothing: "Find" is as invalid as "find-partner".
    if (!COMMAND.test(command)) throw badRequest('BOT_COMMAND_INVALID');
    if (description.trim() === '' || description.length > 256)
      throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
    return { command, description };
  });
}

function readScope(
  state: EmulatorState,
  params: Params,
): { scope: CommandScopeKey; languageCode: string } {
  const languageCode = params.optionalString('language_code') ?? '';
  if (languageCode !== '' && !LANGUAGE.test(languageCode)) throw badRequest('LANG_CODE_INVALID');
  const raw = params.optionalJson('scope', () =>
    badRequest("can't parse BotCommandScope JSON object"),
  );
  if (raw === undefined) return { scope: 'default', languageCode };
  if (!isRecord(raw))
    throw badRequest("can't parse BotCommandScope: BotCommandScope must be an Object");
  const type = raw['type'];
  if (type === 'default' || type === 'all_private_chats') return { scope: type, languageCode };
  if (type === 'chat') {
    const chatId = toInteger(raw['chat_id']);
    if (chatId === undefined)
      throw badRequest("can't parse BotCommandScope: Empty chat_id specified");
    // A chat the bot has never seen (an admin who has not pressed Start) is unknown to Telegram.
    if (!state.users.has(chatId)) throw badRequest('chat not found');
    return { scope: `chat:${chatId}`, languageCode };
  }
  // Group scopes exist in Telegram but mean nothing for a one-to-one bot's private chats.
  if (
    typeof type === 'string' &&
    /^(all_group_chats|all_chat_administrators|chat_administrators|chat_member)$/.test(type)
  )
    throw badRequest(`command scope "${type}" is not emulated; only private-chat scopes are`);
  throw badRequest("can't parse BotCommandScope: Unsupported type specified");
}
