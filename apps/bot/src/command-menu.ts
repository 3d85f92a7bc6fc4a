import { commandMenus, type CommandMenu } from '@hamdam/domain';
import type { BotApi, BotCommand, BotCommandScope, CallOptions } from '@hamdam/telegram';

/** What registering the menus did: lists changed, lists already right, lists that failed. */
export interface MenuRegistration {
  readonly set: number;
  readonly unchanged: number;
  readonly failed: readonly string[];
}

type CommandsApi = Pick<BotApi, 'getMyCommands' | 'setMyCommands'>;

/**
 * Registers the command menus Telegram clients show: the user commands for everyone (English,
 * and Persian for `fa`), and the admin commands in each admin's own chat. A list already as it
 * should be is left alone, so running this again (a restart, another deploy) changes nothing.
 * One list failing (an admin who never pressed Start is a chat Telegram does not know) does
 * not stop the others; it is named in `failed`.
 */
export async function registerCommandMenus(
  api: CommandsApi,
  adminIds: readonly number[],
  options: CallOptions = {},
): Promise<MenuRegistration> {
  let set = 0;
  let unchanged = 0;
  const failed: string[] = [];
  for (const menu of commandMenus()) {
    for (const scope of scopesOf(menu, adminIds)) {
      const target = {
        scope,
        ...(menu.languageCode === '' ? {} : { language_code: menu.languageCode }),
      };
      try {
        const current = await api.getMyCommands(target, options);
        if (sameList(current, menu.commands)) {
          unchanged++;
          continue;
        }
        await api.setMyCommands({ ...target, commands: [...menu.commands] }, options);
        set++;
      } catch (err) {
        const where = scope.type === 'chat' ? `admin chat ${scope.chat_id}` : 'everyone';
        failed.push(`${where} (${menu.languageCode || 'any language'}): ${reason(err)}`);
      }
    }
  }
  return { set, unchanged, failed };
}

function scopesOf(menu: CommandMenu, adminIds: readonly number[]): BotCommandScope[] {
  if (menu.audience === 'everyone') return [{ type: 'default' }];
  return adminIds.map((chat_id) => ({ type: 'chat', chat_id }));
}

function sameList(current: readonly BotCommand[], wanted: readonly BotCommand[]): boolean {
  return (
    current.length === wanted.length &&
    current.every(
      (c, i) => c.command === wanted[i]?.command && c.description === wanted[i]?.description,
    )
  );
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
