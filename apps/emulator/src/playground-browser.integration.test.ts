import assert from 'node:assert/strict';
import { existsSync, mkdirSync, copyFileSync, statSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT, startBot, type RunningBot } from './testing/bot-process.js';
import { ChatView } from './testing/chat-view.js';

// End to end through the page: the real bot, started as `npm start` starts it with nothing
// configured, and the playground in Debian's Chromium, used as a newcomer would.

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// These run in the page. This package is compiled without the DOM's types, so the two page
// globals they use are declared here.
declare const getComputedStyle: (node: unknown) => { readonly direction: string };
declare const document: {
  readonly documentElement: { readonly scrollWidth: number; readonly clientWidth: number };
};
const DIRECTION = (node: unknown): string => getComputedStyle(node).direction;
interface Box {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}
const BOXES = (nodes: readonly { getBoundingClientRect(): Box }[]): Box[] =>
  nodes.map((node) => {
    const { left, right, top, bottom } = node.getBoundingClientRect();
    return { left, right, top, bottom };
  });
const TO_END = (logs: readonly { scrollTop: number; readonly scrollHeight: number }[]): void => {
  for (const log of logs) log.scrollTop = log.scrollHeight;
};
const WAIT_FOR_IMAGE = (image: { decode(): Promise<void> }): Promise<void> => image.decode();
const NATURAL_WIDTH = (image: { readonly naturalWidth: number }): number => image.naturalWidth;
const HAS_PERSON = async (wanted: { url: string; name: string; language: string }) => {
  const list = (await (await fetch(wanted.url)).json()) as {
    first_name: string;
    language_code?: string;
  }[];
  return list.some((u) => u.first_name === wanted.name && u.language_code === wanted.language);
};
const SIDEWAYS_OVERFLOW = (): number =>
  document.documentElement.scrollWidth - document.documentElement.clientWidth;
const SKIP = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is missing: \`apt-get install chromium\` to run the playground's browser test`;

/**
 * What the bot does with replies and albums: it mirrors replies (the copy quotes the
 * partner's copy of the message) and relays an album through copyMessages (one group).
 */
const BOT = { mirrorsReplies: true, keepsAlbums: true } as const;

/**
 * The conversation with the bot, step by step, as two people see it. The bot's flow lives
 * here and only here: when it changes (an onboarding on the first Find, Persian texts),
 * adapt this function.
 */
async function walkTheBotFlow(sara: ChatView, reza: ChatView): Promise<void> {
  // Onboarding: language (Telegram's own offered first), gender, age; Reza in Persian.
  await sara.press('START');
  await sara.waitForBot(/Choose your language/);
  await sara.press('• English •');
  await sara.waitForBot(/Are you a man or a woman/);
  await sara.press('I am a woman');
  await sara.waitForBot(/How old are you/);
  await sara.send('twenty');
  await sara.waitForBot(/That is not an age I can use/);
  await sara.send('27');
  await sara.waitForBot(/Your profile is saved/);
  await reza.press('START');
  await reza.waitForBot(/زبان خود را انتخاب کنید/);
  await reza.press('• فارسی •');
  await reza.waitForBot(/مرد هستید یا زن/);
  await reza.press('مرد هستم');
  await reza.waitForBot(/چند سال دارید/);
  await reza.send('۳۰');
  await reza.waitForBot(/مشخصات شما ذخیره شد/);

  await sara.press('🔍 Find a partner');
  await sara.waitForBot(/Looking for a partner/);
  await reza.press('🔍 پیدا کردن هم‌صحبت');
  await sara.waitForBot(/Partner found/);
  await reza.waitForBot(/هم‌صحبت پیدا شد/);

  // Text, both ways.
  await sara.send('Hi! Where are you from?');
  await reza.waitForBot('Hi! Where are you from?');
  await reza.send('سلام! از شیراز هستم');
  await sara.waitForBot('سلام! از شیراز هستم');

  // Replies, both ways: the replier's chat quotes the message replied to.
  await reza.replyTo('Hi! Where are you from?', 'And you?');
  await sara.waitForBot('And you?');
  await sara.replyTo('سلام! از شیراز هستم', 'Shiraz is lovely');
  await reza.waitForBot('Shiraz is lovely');
  assert.equal(await reza.quoteOf(reza.ownMessage('And you?')), 'Hi! Where are you from?');
  assert.equal(await sara.quoteOf(sara.ownMessage('Shiraz is lovely')), 'سلام! از شیراز هستم');
  const mirrored = await sara.quoteOf(sara.message('And you?'));
  assert.equal(mirrored, BOT.mirrorsReplies ? 'Hi! Where are you from?' : undefined);

  // A photo, both ways.
  await sara.attach('🖼 Photo');
  await reza.waitForPhotos(1);
  await reza.attach('🖼 Photo');
  await sara.waitForPhotos(1);

  // An album, both ways: one group in the sender's chat.
  await sara.attach('🗂 Album (3 photos)');
  await reza.waitForPhotos(4);
  await reza.attach('🗂 Album (3 photos)');
  await sara.waitForPhotos(4);
  for (const person of [sara, reza]) {
    const sent = person.pane.locator('.row.user .album');
    assert.equal(await sent.count(), 1, `${person.name} sees the album sent as one group`);
    assert.equal(await sent.locator('img.photo').count(), 3);
    const received = person.pane.locator('.row.bot .album');
    assert.equal(await received.count(), BOT.keepsAlbums ? 1 : 0, 'the album received');
  }

  await sara.press('⛔ Stop');
  await sara.waitForBot(/You ended the chat/);
  await reza.waitForBot(/هم‌صحبت شما گفت‌وگو را پایان داد/);
}

describe('the playground in a browser', { skip: SKIP }, () => {
  let bot: RunningBot;
  let browser: Browser;
  let page: Page;
  const shots = mkdtempSync(join(tmpdir(), 'hamdam-shots-'));

  before(async () => {
    bot = await startBot();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.on('pageerror', (error) => assert.fail(`the page threw: ${error.message}`));
  });
  after(async () => {
    await browser?.close();
    await bot?.stop();
  });

  it('names the bot, guides a newcomer and walks the bot’s flow with two people', async () => {
    await page.goto(bot.playgroundUrl);
    assert.equal(await page.title(), 'hamdam · playground');
    await page.getByRole('heading', { name: 'hamdam', exact: true }).waitFor();
    const guide = page.getByRole('note');
    await guide.getByText('Press START in both chats').waitFor();

    await addPerson(page, 'Sara', 'English');
    await addPerson(page, 'رضا', 'فارسی');
    const sara = new ChatView(page, 'Sara');
    const reza = new ChatView(page, 'رضا');
    for (const person of [sara, reza]) {
      await person.pane.getByRole('button', { name: 'START', exact: true }).waitFor();
      assert.match(await person.text(), /Press START/);
    }
    await guide.getByRole('button', { name: 'Close the guide' }).click();
    await guide.waitFor({ state: 'hidden' });

    await walkTheBotFlow(sara, reza);

    // Right to left where the text is Persian, per bubble.
    const persian = sara.message('سلام! از شیراز هستم').locator('.text');
    assert.equal(await persian.evaluate(DIRECTION), 'rtl');
    const english = sara.ownMessage('Hi! Where are you from?').locator('.text');
    assert.equal(await english.evaluate(DIRECTION), 'ltr');

    // A person edits their last message: it shows as edited.
    await reza.edit('And you?', 'And you? 🙂');
    await reza
      .ownMessage('And you? 🙂')
      .getByText(/edited/)
      .waitFor();

    // Nobody's id anywhere, and neither person's name in the other's chat.
    const users = (await (await fetch(`${bot.playgroundUrl}/control/users`)).json()) as {
      id: number;
    }[];
    assert.equal(users.length, 2);
    const pageText = await page.locator('body').innerText();
    for (const { id } of users) assert.ok(!pageText.includes(String(id)), `id ${id} is shown`);
    assert.ok(!(await sara.text()).includes('رضا'), "Reza's name in Sara's chat");
    assert.ok(!(await reza.text()).includes('Sara'), "Sara's name in Reza's chat");
    assert.doesNotMatch(pageText, /copied from|callback|#\d+/i);

    await saveScreenshots(page, shots);
  });

  it('sends every sample from the "+" menu and shows each as a person would see it', async () => {
    const sara = new ChatView(page, 'Sara');
    const shown: [string, string][] = [
      ['🎬 Video', '.row.user video.video'],
      ['🎤 Voice message', '.row.user audio'],
      ['🙂 Sticker', '.row.user img.sticker'],
      ['📄 File', '.row.user a.file'],
      ['GIF', '.row.user video.animation'],
      ['📍 Location', '.row.user .card'],
    ];
    for (const [label, selector] of shown) {
      await sara.attach(label);
      await sara.pane.locator(selector).last().waitFor({ timeout: 20_000 });
    }
    const sticker = sara.pane.locator('.row.user img.sticker').last();
    await sticker.evaluate(WAIT_FOR_IMAGE);
    assert.ok((await sticker.evaluate(NATURAL_WIDTH)) > 0, 'the sticker picture loads');
  });

  it('fits from 360 px to a phone screen, the chats stacked', async () => {
    for (const width of [360, 390, 420]) {
      await page.setViewportSize({ width, height: 844 });
      const overflow = await page.evaluate(SIDEWAYS_OVERFLOW);
      assert.equal(overflow, 0, `${width} px: the page scrolls sideways`);
      const panes = await page.locator('.pane').evaluateAll(BOXES);
      assert.equal(panes.length, 2);
      for (const box of panes)
        assert.ok(box.left >= 0 && box.right <= width, `${width} px: cut off`);
      assert.ok((panes[1]?.top ?? 0) >= (panes[0]?.bottom ?? 0), `${width} px: not stacked`);
    }
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('lets a person be renamed, switch language, block and unblock the bot, and leave', async () => {
    const users = async () =>
      (await (await fetch(`${bot.playgroundUrl}/control/users`)).json()) as {
        first_name: string;
        language_code?: string;
      }[];
    const reza = new ChatView(page, 'رضا');
    const chip = reza.pane.locator('summary.user-chip');
    await chip.click();
    await reza.pane.getByRole('textbox', { name: 'Name' }).fill('Reza');
    await reza.pane.getByRole('button', { name: 'Rename', exact: true }).click();
    const renamed = new ChatView(page, 'Reza');
    await renamed.pane.waitFor();
    await renamed.pane.locator('summary.user-chip').click();
    await renamed.pane.getByRole('button', { name: 'English', exact: true }).click();
    await page.waitForFunction(
      HAS_PERSON,
      { url: `${bot.playgroundUrl}/control/users`, name: 'Reza', language: 'en' },
      { timeout: 10_000 },
    );
    assert.ok((await users()).some((u) => u.first_name === 'Reza' && u.language_code === 'en'));

    await renamed.pane.locator('summary.user-chip').click();
    await renamed.pane.getByRole('button', { name: 'Block the bot' }).click();
    await renamed.pane.getByText('You blocked hamdam.').waitFor();
    await renamed.press('Unblock');
    await renamed.pane.getByText('You blocked hamdam.').waitFor({ state: 'hidden' });

    await renamed.pane.locator('summary.user-chip').click();
    await renamed.pane.getByRole('button', { name: 'Delete this person' }).click();
    await renamed.pane.waitFor({ state: 'detached' });
    assert.deepEqual(
      (await users()).map((u) => u.first_name),
      ['Sara'],
    );
  });
});

/** The README's pictures, at 1280 px and on a phone; `UPDATE_SCREENSHOTS=1` refreshes them. */
async function saveScreenshots(page: Page, shots: string): Promise<void> {
  await scrollChatsToEnd(page);
  await page.screenshot({ path: join(shots, 'playground-1280.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('.pane').first().scrollIntoViewIfNeeded();
  await scrollChatsToEnd(page);
  await page.screenshot({ path: join(shots, 'playground-390.png') });
  await page.setViewportSize({ width: 1280, height: 860 });
  for (const name of ['playground-1280.png', 'playground-390.png']) {
    assert.ok(statSync(join(shots, name)).size > 10_000, `${name} looks empty`);
    if (process.env['UPDATE_SCREENSHOTS'] === '1') {
      mkdirSync(join(REPO_ROOT, 'docs/screenshots'), { recursive: true });
      copyFileSync(join(shots, name), join(REPO_ROOT, 'docs/screenshots', name));
    }
  }
}

/** Shows the end of every chat, as a person who just finished would see it. */
async function scrollChatsToEnd(page: Page): Promise<void> {
  await page.locator('.log').evaluateAll(TO_END);
}

async function addPerson(page: Page, name: string, language: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Name' }).fill(name);
  await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: language });
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByRole('region', { name: `${name}'s chat`, exact: true }).waitFor();
}
