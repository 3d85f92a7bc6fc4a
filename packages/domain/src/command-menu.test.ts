import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_COMMANDS } from './commands.js';
import { MENU_COMMANDS, commandMenus } from './command-menu.js';

test('the menus: English for any language, Persian for fa, admins see theirs on top', () => {
  const menus = commandMenus();
  assert.deepEqual(
    menus.map((m) => `${m.audience}:${m.languageCode}`),
    ['everyone:', 'everyone:fa', 'admins:', 'admins:fa'],
  );
  const [en, fa, adminEn] = menus;
  assert.deepEqual(
    en?.commands.map((c) => c.command),
    [...MENU_COMMANDS],
  );
  assert.equal(en?.commands[0]?.description, 'Find a partner');
  assert.match(fa?.commands[0]?.description ?? '', /[\u0600-\u06ff]/);
  assert.deepEqual(
    adminEn?.commands.map((c) => c.command),
    [...MENU_COMMANDS, ...ADMIN_COMMANDS],
  );
});

test('every entry is one Telegram accepts', () => {
  for (const menu of commandMenus()) {
    assert.ok(menu.commands.length >= 1 && menu.commands.length <= 100);
    for (const { command, description } of menu.commands) {
      assert.match(command, /^[a-z0-9_]{1,32}$/);
      assert.ok(description.trim().length >= 1 && description.length <= 256, command);
      assert.doesNotMatch(description, /\{\w+\}/, `${command} has no placeholder left`);
    }
  }
});
