import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';

const WAIT_MS = 20_000;

/**
 * One person's chat pane in the playground, driven as a person would: by what is on the
 * screen. Every wait fails with the pane's text, so a broken flow says what was shown.
 */
export class ChatView {
  readonly name: string;
  readonly pane: Locator;
  readonly #page: Page;

  constructor(page: Page, name: string) {
    this.#page = page;
    this.name = name;
    this.pane = page.getByRole('region', { name: `${name}'s chat`, exact: true });
  }

  /** Presses the button with exactly this text: START, a reply-keyboard or an inline button. */
  async press(text: string): Promise<void> {
    await this.pane.getByRole('button', { name: text, exact: true }).last().click();
  }

  /** Types a message and sends it with Enter. */
  async send(text: string): Promise<void> {
    const box = this.pane.locator('textarea');
    await box.fill(text);
    await box.press('Enter');
    await this.#waitFor(this.ownMessage(text), `own message "${text}"`);
  }

  /** Replies to the last message showing `quoted`, with `text`. */
  async replyTo(quoted: string, text: string): Promise<void> {
    const row = this.message(quoted).or(this.ownMessage(quoted)).last();
    await row.hover();
    await row.getByRole('button', { name: '↩ Reply' }).click();
    await this.send(text);
  }

  /** Edits the last own message showing `old`. */
  async edit(old: string, text: string): Promise<void> {
    const row = this.ownMessage(old).last();
    await row.hover();
    await row.getByRole('button', { name: '✎ Edit' }).click();
    const box = this.pane.locator('textarea');
    await box.fill(text);
    await box.press('Enter');
    await this.#waitFor(this.ownMessage(text), `edited message "${text}"`);
  }

  /** Sends one of the "+" menu's samples, e.g. "🖼 Photo" or "🗂 Album (3 photos)". */
  async attach(label: string): Promise<void> {
    await this.pane.locator('summary[aria-label="Attach"]').click();
    await this.pane.getByRole('menuitem', { name: label, exact: true }).click();
  }

  /** A message shown on the bot's side of the chat (the bot's own, or a partner's copy). */
  message(text: string | RegExp): Locator {
    return this.pane.locator('.row.bot', { has: this.#page.locator('.text', { hasText: text }) });
  }

  ownMessage(text: string | RegExp): Locator {
    return this.pane.locator('.row.user', { has: this.#page.locator('.text', { hasText: text }) });
  }

  async waitForBot(text: string | RegExp): Promise<void> {
    await this.#waitFor(this.message(text).last(), `a bot message matching ${String(text)}`);
  }

  /** Waits until `count` photos are shown on the bot's side. */
  async waitForPhotos(count: number): Promise<void> {
    await this.#waitFor(
      this.pane.locator('.row.bot img.photo').nth(count - 1),
      `${count} received photos`,
    );
  }

  /** The quote shown above the last message with `text`, or undefined if it is no reply. */
  async quoteOf(row: Locator): Promise<string | undefined> {
    const quote = row.last().locator('.quote span');
    return (await quote.count()) === 0 ? undefined : ((await quote.textContent()) ?? '');
  }

  async text(): Promise<string> {
    return (await this.pane.innerText()).replace(/\s+/g, ' ');
  }

  async #waitFor(locator: Locator, what: string): Promise<void> {
    try {
      await locator.waitFor({ state: 'visible', timeout: WAIT_MS });
    } catch {
      assert.fail(`${this.name}'s chat never showed ${what}; it shows: ${await this.text()}`);
    }
  }
}
