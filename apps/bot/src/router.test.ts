import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Telegraf } from 'telegraf';
import { t } from '@hamdam/domain';
import type { Update } from '@hamdam/telegram';
import type { UpdateHandlers } from './handlers/update-handlers.js';
import { routeUpdates } from './router.js';

// The routes on a real telegraf, with handlers that only write down what they were given.

const ADMIN = 99;
const USER = 7;
let nextId = 1;

function routed() {
  const calls: unknown[][] = [];
  const record =
    (name: string) =>
    async (...args: unknown[]): Promise<void> => {
      calls.push([name, ...args]);
    };
  const handlers: UpdateHandlers = {
    command: record('command'),
    admin: record('admin'),
    relay: record('relay'),
    edit: record('edit'),
    press: record('press'),
    botBlocked: record('botBlocked'),
  };
  const bot = new Telegraf('1:test');
  bot.botInfo = { id: 1, is_bot: true, first_name: 'H', username: 'hamdam_bot' } as never;
  routeUpdates(bot, handlers, new Set([ADMIN]));
  return async (update: Record<string, unknown>) => {
    calls.length = 0;
    await bot.handleUpdate({ update_id: nextId++, ...update } as unknown as Update);
    return calls;
  };
}

const handle = routed();

function msg(text: string, extra: Record<string, unknown> = {}, from = USER) {
  return {
    message: {
      message_id: 5,
      date: 0,
      chat: { id: from, type: 'private', first_name: 'U' },
      from: { id: from, is_bot: false, first_name: 'U' },
      text,
      entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }],
      ...extra,
    },
  };
}

/** A message with neither text nor entities, for media to be added to. */
function bare(): Record<string, unknown> {
  const message: Record<string, unknown> = { ...msg('').message };
  delete message['text'];
  delete message['entities'];
  return message;
}

/** The name of what was called, and the arguments that matter for routing. */
async function route(update: Record<string, unknown>): Promise<unknown[]> {
  const calls = await handle(update);
  assert.ok(calls.length <= 1, 'one handler per update');
  const [call] = calls;
  if (!call) return [];
  const [name, ...args] = call;
  switch (name) {
    case 'command':
    case 'admin':
      return [name, args[0], args[2]];
    case 'relay': {
      const f = args[2] as { unknownCommand: boolean; ageAnswer: unknown };
      return [name, f.unknownCommand, f.ageAnswer];
    }
    case 'botBlocked':
      return [name, ...args];
    default:
      return [name, ...args.slice(1)];
  }
}

describe('router: commands', () => {
  test('a command is a text Telegram marked with a bot_command entity at its start', async () => {
    assert.deepEqual(await route(msg('/stop')), ['command', 'stop', '']);
    assert.deepEqual(await route(msg('/STOP@Hamdam_Bot')), ['command', 'stop', '']);
    assert.deepEqual(await route(msg('/search')), ['command', 'search', '']);
    assert.deepEqual(await route(msg('/stop', { entities: undefined })), ['relay', false, 'bad']);
    const later = [{ type: 'bot_command', offset: 3, length: 5 }];
    assert.deepEqual(await route(msg('/stop', { entities: later })), ['relay', false, 'bad']);
  });

  test("another bot's command is a text; a command the bot does not have is unknown", async () => {
    assert.deepEqual(await route(msg('/stop@other_bot')), ['relay', false, 'bad']);
    assert.deepEqual(await route(msg('/etc/hosts is mine')), ['relay', false, 'bad']);
    assert.deepEqual(await route(msg('/nosuch')), ['relay', true, null]);
  });

  test('only the first entity is read, as telegraf does', async () => {
    const entities = [
      { type: 'bold', offset: 0, length: 9 },
      { type: 'bot_command', offset: 0, length: 5 },
    ];
    assert.deepEqual(await route(msg('/stop now', { entities })), ['relay', false, 'bad']);
  });

  test('admin commands are commands from admins only, with their arguments', async () => {
    assert.deepEqual(await route(msg('/ban 12  1h ', {}, ADMIN)), ['admin', 'ban', '12  1h']);
    assert.deepEqual(await route(msg('/Stats', {}, ADMIN)), ['admin', 'stats', '']);
    assert.deepEqual(await route(msg('/ban 12 1h')), ['relay', true, null]);
  });

  test('a keyboard button in any language is its command', async () => {
    assert.deepEqual(await route(msg(t('en', 'button.find'), { entities: [] })), [
      'command',
      'find',
      '',
    ]);
    assert.deepEqual(await route(msg(t('fa', 'button.cancel'), { entities: [] })), [
      'command',
      'stop',
      '',
    ]);
  });

  test('a forwarded message is never a command, old (forward_date) or new (forward_origin)', async () => {
    const origin = { type: 'hidden_user', sender_user_name: 'X', date: 1 };
    for (const extra of [{ forward_origin: origin }, { forward_date: 1 }]) {
      assert.deepEqual(await route(msg('/stop', extra)), ['relay', false, null]);
      assert.deepEqual(await route(msg('/ban 12 1h', extra, ADMIN)), ['relay', false, null]);
      const button = { ...extra, entities: [] };
      assert.deepEqual(await route(msg(t('en', 'button.stop'), button)), ['relay', false, null]);
    }
  });
});

describe('router: other updates', () => {
  test('texts and media go to the partner; a number may answer the age question', async () => {
    assert.deepEqual(await route(msg('25', { entities: [] })), ['relay', false, 25]);
    assert.deepEqual(await route({ message: { ...bare(), photo: [] } }), ['relay', false, null]);
  });

  test('an edit of a text or caption is mirrored; other edits are ignored', async () => {
    const edited = (fields: Record<string, unknown>) => ({
      edited_message: { ...bare(), edit_date: 1, ...fields },
    });
    assert.deepEqual(await route(edited({ text: 'new' })), [
      'edit',
      5,
      { method: 'editMessageText', params: { text: 'new' } },
    ]);
    assert.deepEqual(await route(edited({ caption: 'c' })), [
      'edit',
      5,
      { method: 'editMessageCaption', params: { caption: 'c' } },
    ]);
    assert.deepEqual(await route(edited({ photo: [] })), []);
  });

  test('every button press is handled, data the bot never made included', async () => {
    const press = (query: Record<string, unknown>) => ({
      callback_query: {
        id: 'q',
        chat_instance: 'i',
        from: { id: USER, is_bot: false, first_name: 'U' },
        ...query,
      },
    });
    const message = { message_id: 3, date: 0, chat: { id: USER, type: 'private' } };
    for (const data of ['s:a', 'd:yes', 'r:spam:4', 'o:l:fa', 'r:nope:4', 'forged']) {
      assert.deepEqual(await route(press({ data, message })), [
        'press',
        { queryId: 'q', data, messageId: 3 },
      ]);
    }
    assert.deepEqual(await route(press({ game_short_name: 'g' })), [
      'press',
      { queryId: 'q', data: '', messageId: null },
    ]);
  });

  test('leaving or blocking the bot ends the chat; other member changes do not', async () => {
    const member = (status: string) => ({
      my_chat_member: {
        chat: { id: USER, type: 'private', first_name: 'U' },
        from: { id: USER, is_bot: false, first_name: 'U' },
        date: 0,
        old_chat_member: { status: 'member', user: { id: 1, is_bot: true, first_name: 'H' } },
        new_chat_member: { status, user: { id: 1, is_bot: true, first_name: 'H' } },
      },
    });
    const [name, chatId, stamp] = await route(member('kicked'));
    assert.deepEqual([name, chatId, (stamp as { queue: string }).queue], ['botBlocked', USER, 'k']);
    assert.deepEqual(await route(member('member')), []);
  });

  test('groups, channels and kinds of update the bot has no use for are ignored', async () => {
    const group = msg('/stop');
    group.message.chat = { id: -5, type: 'group', first_name: 'G' };
    assert.deepEqual(await route(group), []);
    assert.deepEqual(await route({ poll: { id: 'p', question: 'q', options: [] } }), []);
  });

  test('each update is stamped with its Telegram queue and id', async () => {
    const [call] = await handle(msg('/stop'));
    const actor = call?.[2] as { chatId: number; stamp: { queue: string; updateId: number } };
    assert.equal(actor.chatId, USER);
    assert.equal(actor.stamp.queue, 'm');
    assert.equal(actor.stamp.updateId, nextId - 1);
  });
});
