import type { User } from '@hamdam/telegram';
import { api, type UserState } from './control.js';
import { avatar, byId, el } from './dom.js';

export interface PanelHost {
  developer(): boolean;
  isOpen(id: number): boolean;
  open(id: number): void;
  remember(user: User, blocked?: boolean): void;
  fail(message: string): void;
}

/** The side panel: add a person (name and language), and the people to open chats for. */
export class UsersPanel {
  readonly #host: PanelHost;
  readonly #list = byId('users');
  readonly #hint = byId('users-hint');

  constructor(host: PanelHost) {
    this.#host = host;
    const form = byId<HTMLFormElement>('new-user');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#create(form);
    });
  }

  render(users: ReadonlyMap<number, UserState>): void {
    this.#list.textContent = '';
    const all = [...users.values()];
    for (const { user, blocked } of all) {
      const item = el('li', this.#host.isOpen(user.id) ? 'open' : '');
      const open = el('button', 'person', undefined, { type: 'button' });
      open.append(avatar(user.first_name, user.id, 'avatar small'));
      const who = el('span', 'who');
      who.append(el('span', 'person-name', user.first_name, { dir: 'auto' }));
      const details = [user.language_code?.startsWith('fa') === true ? 'فارسی' : 'English'];
      if (blocked) details.push('blocked the bot');
      if (this.#host.developer()) details.push(`id ${user.id}`);
      who.append(el('span', 'person-details', details.join(' · ')));
      open.append(who);
      open.addEventListener('click', () => this.#host.open(user.id));
      item.append(open);
      this.#list.append(item);
    }
    this.#hint.textContent = all.length === 0 ? 'Nobody here yet: add two people.' : '';
  }

  async #create(form: HTMLFormElement): Promise<void> {
    const name = byId<HTMLInputElement>('new-name');
    const language = byId<HTMLSelectElement>('new-language');
    const fields: Record<string, string> = { language_code: language.value };
    if (name.value.trim() !== '') fields['first_name'] = name.value.trim();
    try {
      const user = await api.createUser(fields);
      form.reset();
      this.#host.remember(user, false);
      this.#host.open(user.id);
    } catch (error) {
      this.#host.fail(`Could not add: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
