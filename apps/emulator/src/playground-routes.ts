import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { ControlError } from './api-error.js';
import type { EmulatorState } from './emulator-state.js';
import { ASSETS_DIR } from './sample-files.js';

// The playground: one HTML page, its compiled scripts (apps/emulator/playground, built by
// `tsc -b` with the emulator) and stylesheet, and the sample files behind emulated media.
// Everything is served from here, nothing from the network: the machines running it may
// be offline.

const PLAYGROUND_DIR = new URL('../playground/', import.meta.url);
const SCRIPT = /^[a-z-]+\.js$/;

export function registerPlayground(app: FastifyInstance, state: EmulatorState): void {
  const html = playgroundHtml(state.options.botName);
  app.get('/', (_request, reply) => reply.type('text/html; charset=utf-8').send(html));

  app.get('/playground/styles.css', async (_request, reply) =>
    reply
      .type('text/css; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(await readFile(new URL('styles.css', PLAYGROUND_DIR))),
  );

  app.get<{ Params: { file: string } }>('/playground/:file', async (request, reply) => {
    const { file } = request.params;
    if (!SCRIPT.test(file)) throw new ControlError(404, 'Not Found');
    let body: Buffer;
    try {
      body = await readFile(new URL(`dist/${file}`, PLAYGROUND_DIR));
    } catch {
      throw new ControlError(404, `${file} not found; build the playground with \`npx tsc -b\``);
    }
    return reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(body);
  });

  // The file behind a media message, as a person would see it; ids not made here are 404.
  app.get<{ Params: { fileId: string } }>('/control/files/:fileId', async (request, reply) => {
    const sample = state.files.sampleOf(request.params.fileId);
    if (sample === undefined) throw new ControlError(404, 'no such file');
    return reply
      .type(sample.mimeType)
      .header('cache-control', 'public, max-age=86400, immutable')
      .send(await readFile(new URL(sample.name, ASSETS_DIR)));
  });
}

function playgroundHtml(botName: string): string {
  const name = escapeHtml(botName);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${name} · playground</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/playground/styles.css">
<script type="module" src="/playground/main.js"></script>
</head>
<body data-bot-name="${name}">
<header>
  <div class="brand"><span class="logo" aria-hidden="true">${escapeHtml(Array.from(botName)[0] ?? '')}</span><h1>${name}</h1><span class="tag">playground</span></div>
  <button id="guide-open" type="button" class="link">How it works</button>
  <label class="dev"><input id="developer" type="checkbox"> Developer view</label>
  <div id="conn">connecting…</div>
</header>
<main>
  <aside>
    <form id="new-user" class="new-user">
      <h2>Add a person</h2>
      <input id="new-name" type="text" placeholder="Name (optional)" maxlength="64" dir="auto" aria-label="Name">
      <select id="new-language" aria-label="Language">
        <option value="en">English</option>
        <option value="fa">فارسی</option>
      </select>
      <button class="primary" type="submit">Add</button>
    </form>
    <h2 class="people">People</h2>
    <div id="users-hint" class="hint"></div>
    <ul id="users"></ul>
  </aside>
  <section id="workspace">
    <div id="guide" class="guide" role="note" hidden>
      <button id="guide-close" type="button" class="icon" aria-label="Close the guide">×</button>
      <h2>Try ${name} in a minute</h2>
      <ol>
        <li>Add two people: each gets a chat with ${name}, as on their own phone.</li>
        <li>Press <b>START</b> in both chats.</li>
        <li>Press <b>🔍 Find a partner</b> in both: they are paired, and what one writes reaches the other without a name.</li>
      </ol>
      <p>Use <b>+</b> to send sample photos, an album, a voice note and more; hover a message to reply or edit.</p>
    </div>
    <div id="problem" class="problem" role="alert" hidden></div>
    <div id="panes"><div id="empty">Add a person, or pick one, to open their chat with ${name}.</div></div>
  </section>
</main>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
