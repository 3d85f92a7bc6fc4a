import { button, el } from './dom.js';

// The "+" menu: sends the emulator's bundled sample files, so a person can try every kind
// of message without having files at hand.

const CHOICES: readonly (readonly [string, Record<string, unknown>])[] = [
  ['🖼 Photo', { photo: true }],
  ['🗂 Album (3 photos)', { items: [{ photo: true }, { photo: true }, { photo: true }] }],
  ['🎬 Video', { video: true }],
  ['🎤 Voice message', { voice: true }],
  ['🙂 Sticker', { sticker: true }],
  ['📄 File', { document: true }],
  ['GIF', { animation: true }],
  ['📍 Location', { location: true }],
  ['👤 My contact', { contact: true }],
];

export function attachMenu(send: (body: Record<string, unknown>) => void): HTMLElement {
  const menu = el('details', 'attach');
  const summary = el('summary', 'icon', '+', { 'aria-label': 'Attach', title: 'Attach' });
  const list = el('div', 'popover', undefined, { role: 'menu' });
  for (const [label, body] of CHOICES) {
    list.append(
      button(
        label,
        () => {
          menu.open = false;
          send(body);
        },
        '',
        { role: 'menuitem' },
      ),
    );
  }
  menu.append(summary, list);
  return menu;
}
