import { PLAYGROUND_SCRIPT } from './playground-script.js';
import { PLAYGROUND_CSS } from './playground-styles.js';

/** GET /: one self-contained page (no external assets: the machines running it may be offline). */
export const PLAYGROUND_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bot API emulator playground</title>
<style>${PLAYGROUND_CSS}</style>
</head>
<body>
<header>
  <h1>Bot API emulator</h1>
  <div id="stats"></div>
  <div id="conn">connecting</div>
</header>
<main>
  <aside>
    <form id="new-user" class="new-user">
      <input id="new-name" type="text" placeholder="First name (optional)" maxlength="64">
      <button class="primary" type="submit">New user</button>
    </form>
    <input id="filter" type="text" placeholder="Filter users">
    <div id="users-hint" class="hint"></div>
    <ul id="users"></ul>
  </aside>
  <section id="panes">
    <div id="empty">Create a user or pick one on the left to open a chat.<br>Open several to chat side by side.</div>
  </section>
</main>
<script>${PLAYGROUND_SCRIPT}</script>
</body>
</html>
`;
