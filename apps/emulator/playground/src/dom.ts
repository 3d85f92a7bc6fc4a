// Small DOM helpers. Every piece of chat content goes in as text (textContent, attributes),
// never as HTML: what users and the bot send is arbitrary.

type Attributes = Readonly<Record<string, string | undefined>>;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
  attributes: Attributes = {},
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className !== undefined && className !== '') node.className = className;
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined) node.setAttribute(name, value);
  }
  return node;
}

export function button(
  text: string,
  onClick: (event: MouseEvent) => void,
  className = '',
  attributes: Attributes = {},
): HTMLButtonElement {
  const node = el('button', className, text, { type: 'button', ...attributes });
  node.addEventListener('click', onClick);
  return node;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`the page has no #${id}`);
  return node as T;
}

/** Keeps a scrolled-to-bottom log at the bottom after `change`. */
export function keepAtBottom(log: HTMLElement, change: () => void): void {
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 48;
  change();
  if (atBottom) log.scrollTop = log.scrollHeight;
}

const COLORS = [
  '#e17076',
  '#7bc862',
  '#e5ca77',
  '#65aadd',
  '#a695e7',
  '#ee7aae',
  '#6ec9cb',
  '#faa774',
];

export function avatar(name: string, seed: number, className = 'avatar'): HTMLElement {
  const node = el('div', className, (Array.from(name.trim())[0] ?? '?').toUpperCase(), {
    'aria-hidden': 'true',
  });
  node.style.background = COLORS[Math.abs(seed) % COLORS.length] ?? '#65aadd';
  return node;
}
