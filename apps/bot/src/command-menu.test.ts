import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@hamdam/config';
import { ADMIN_COMMANDS, MENU_COMMANDS, t } from '@hamdam/domain';
import { createEmulator, type Emulator } from '@hamdam/emulator';
import { BotApi, type BotCommandScope } from '@hamdam/telegram';
import { createLogger } from './logger.js';
import { EMULATED_TOKEN } from './testing/topology.js';
import { startWorker } from './worker.js';

const SET_WEBHOOK = fileURLToPath(new URL('./set-webhook.js', import.meta.url));
const SECRET = 'menu-test-secret-0123';
const NEVER_STARTED = 987_654_321;

// The menus through the emulator, which checks every setMyCommands as Telegram does; read back
// with getMyCommands, per language and per admin chat.
describe('the command menu', () => {
  let emulator: Emulator;
  let apiRoot: string;
  let api: BotApi;
  let admin: number;
  const read = async (scope: BotCommandScope, languageCode?: string) =>
    (
      await api.getMyCommands({
        scope,
        ...(languageCode === undefined ? {} : { language_code: languageCode }),
      })
    ).map((c) => c.command + ' ' + c.description);
  const expected = (lang: 'en' | 'fa', names: readonly string[]) =>
    names.map((name) => `${name} ${t(lang, `menu.${name}` as Parameters<typeof t>[1])}`);
  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${apiRoot}/control${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    assert.ok(response.ok, `${path}: ${response.status}`);
    return (await response.json()) as { id: number };
  };
  const assertMenus = async () => {
    const everyone: BotCommandScope = { type: 'default' };
    const own: BotCommandScope = { type: 'chat', chat_id: admin };
    assert.deepEqual(await read(everyone), expected('en', MENU_COMMANDS));
    assert.deepEqual(await read(everyone, 'fa'), expected('fa', MENU_COMMANDS));
    const all = [...MENU_COMMANDS, ...ADMIN_COMMANDS];
    assert.deepEqual(await read(own), expected('en', all));
    assert.deepEqual(await read(own, 'fa'), expected('fa', all));
  };

  before(async () => {
    emulator = createEmulator({ token: EMULATED_TOKEN });
    apiRoot = await emulator.listen();
    api = new BotApi({ token: EMULATED_TOKEN, apiRoot });
    admin = (await control('POST', '/users', { first_name: 'Admin' })).id;
  });
  after(async () => {
    await api.close();
    await emulator.close();
  });
  const clear = async () => {
    for (const scope of [{ type: 'default' }, { type: 'chat', chat_id: admin }] as const) {
      for (const language_code of ['', 'fa']) await api.deleteMyCommands({ scope, language_code });
    }
  };

  it('npm run set-webhook registers them, once: a second run changes nothing', async () => {
    await clear();
    // Asynchronously, as the emulator answering it runs in this process; a non-zero exit rejects.
    const run = () =>
      promisify(execFile)(process.execPath, [SET_WEBHOOK], {
        env: {
          PATH: process.env['PATH'] ?? '',
          BOT_TOKEN: EMULATED_TOKEN,
          WEBHOOK_SECRET: SECRET,
          BOT_API_ROOT: apiRoot,
          PUBLIC_URL: 'https://bot.example.org',
          ADMIN_IDS: `${admin},${NEVER_STARTED}`,
        },
        encoding: 'utf8',
        timeout: 30_000,
      });
    const first = await run();
    assert.match(first.stdout, /webhook set/);
    assert.match(first.stdout, /command menus: 4 set, 0 already right/);
    // An admin who never pressed Start is a chat Telegram does not know: told, not fatal.
    assert.match(first.stderr, new RegExp(`admin chat ${NEVER_STARTED} .*chat not found`));
    assert.ok(!first.stderr.includes(EMULATED_TOKEN) && !first.stdout.includes(EMULATED_TOKEN));
    await assertMenus();
    const second = await run();
    assert.match(second.stdout, /command menus: 0 set, 4 already right/);
    await assertMenus();
  });

  it('the first worker registers them at start; a failing call never fails the start', async () => {
    const env = {
      BOT_TOKEN: EMULATED_TOKEN,
      WEBHOOK_SECRET: SECRET,
      BOT_API_ROOT: apiRoot,
      ADMIN_IDS: String(admin),
      LOG_LEVEL: 'silent',
      DATA_DIR: `/tmp/hamdam-test-${randomBytes(5).toString('hex')}`,
    };
    const logger = createLogger('silent');

    // Another worker leaves the menus to the first.
    await clear();
    const second = await startWorker(loadConfig({ ...env, WORKER_INDEX: '1' }), logger, 0);
    await second.app.close();
    assert.deepEqual(await read({ type: 'default' }), []);

    // Every setMyCommands refused: the worker starts anyway, and answers its health check.
    await control('POST', '/faults', { method: 'setMyCommands', count: 100, error_code: 500 });
    const unlucky = await startWorker(loadConfig(env), logger, 0);
    try {
      assert.equal((await fetch(`${unlucky.url}/healthz`)).status, 200);
    } finally {
      await unlucky.app.close();
      await control('DELETE', '/faults');
    }
    assert.deepEqual(await read({ type: 'default' }), []);

    const first = await startWorker(loadConfig(env), logger, 0);
    await first.app.close();
    await assertMenus();
  });
});
