import type { UserState } from './control.js';
import { avatar, button, el } from './dom.js';

export interface UserMenuActions {
  rename(firstName: string): void;
  language(code: 'en' | 'fa'): void;
  block(blocked: boolean): void;
  remove(): void;
  close(): void;
}

/** The chip in a pane's corner: who is typing here, and what they can change about themselves. */
export function userMenu(
  state: UserState,
  developer: boolean,
  actions: UserMenuActions,
): HTMLElement {
  const { user, blocked } = state;
  const menu = el('details', 'user-menu');
  const summary = el('summary', 'user-chip', undefined, { title: 'This person' });
  summary.append(
    avatar(user.first_name, user.id, 'avatar small'),
    el('span', '', user.first_name, { dir: 'auto' }),
  );
  const panel = el('div', 'popover', undefined, { role: 'menu' });
  if (developer) panel.append(el('div', 'muted', `user id ${user.id}`));
  const rename = el('form', 'rename');
  const name = el('input', '', undefined, { type: 'text', 'aria-label': 'Name', maxlength: '64' });
  name.value = user.first_name;
  rename.append(
    name,
    button('Rename', () => rename.requestSubmit()),
  );
  rename.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = name.value.trim();
    if (value !== '' && value !== user.first_name) actions.rename(value);
    menu.open = false;
  });
  const current = user.language_code?.startsWith('fa') === true ? 'fa' : 'en';
  const languages = el('div', 'languages', undefined, { role: 'group', 'aria-label': 'Language' });
  for (const [code, label] of [
    ['en', 'English'],
    ['fa', 'فارسی'],
  ] as const) {
    const choice = button(label, () => {
      menu.open = false;
      if (code !== current) actions.language(code);
    });
    choice.setAttribute('aria-pressed', String(code === current));
    languages.append(choice);
  }
  panel.append(
    rename,
    languages,
    button(blocked ? 'Unblock the bot' : 'Block the bot', () => {
      menu.open = false;
      actions.block(!blocked);
    }),
    button(
      'Delete this person',
      () => {
        menu.open = false;
        actions.remove();
      },
      'danger',
    ),
    button('Close chat', () => {
      menu.open = false;
      actions.close();
    }),
  );
  menu.append(summary, panel);
  return menu;
}
