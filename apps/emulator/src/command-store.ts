import type { BotCommand } from '@hamdam/telegram';

/** The scopes a private chat can see, most specific first (Bot API "Determining list of commands"). */
export type CommandScopeKey = 'default' | 'all_private_chats' | `chat:${number}`;

/**
 * The bot's command lists, by scope and language, as setMyCommands stores them. The
 * playground shows a user the list Telegram would show them; tests read it back.
 */
export class CommandStore {
  readonly #lists = new Map<string, readonly BotCommand[]>();

  set(scope: CommandScopeKey, languageCode: string, commands: readonly BotCommand[]): void {
    const key = `${scope}|${languageCode}`;
    if (commands.length === 0) this.#lists.delete(key);
    else this.#lists.set(key, commands);
  }

  get(scope: CommandScopeKey, languageCode: string): readonly BotCommand[] {
    return this.#lists.get(`${scope}|${languageCode}`) ?? [];
  }

  /**
   * The list a private chat's user sees: chat scope, then all private chats, then default,
   * each first in the user's language and then for everyone.
   */
  forChat(chatId: number, languageCode: string | undefined): readonly BotCommand[] {
    const scopes: CommandScopeKey[] = [`chat:${chatId}`, 'all_private_chats', 'default'];
    for (const scope of scopes) {
      for (const language of languageCode === undefined ? [''] : [languageCode, '']) {
        const list = this.#lists.get(`${scope}|${language}`);
        if (list !== undefined) return list;
      }
    }
    return [];
  }

  clear(): void {
    this.#lists.clear();
  }
}
