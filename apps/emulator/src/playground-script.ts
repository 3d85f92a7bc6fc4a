import { PANES_SCRIPT } from './playground-panes-script.js';

/**
 * Browser script of the playground page. Plain ES2017 without template
 * literals so it can live inside this string unchanged; all text is inserted
 * with textContent, never as HTML, because chat content is arbitrary.
 */
const HEAD = String.raw`
(function () {
  'use strict';
  var users = new Map();      // id -> { user, blocked }
  var panes = new Map();      // id -> pane
  var MEDIA = { photo: 'Photo', sticker: 'Sticker', voice: 'Voice message', video: 'Video', document: 'Document' };
  var MEDIA_ICON = { photo: '\uD83D\uDDBC', sticker: '\uD83D\uDE42', voice: '\uD83C\uDFA4', video: '\uD83C\uDFAC', document: '\uD83D\uDCC4' };
  var COLORS = ['#e17076', '#7bc862', '#e5ca77', '#65aadd', '#a695e7', '#ee7aae', '#6ec9cb', '#faa774'];
  var MAX_LISTED = 300;

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function control(method, path, body) {
    var init = { method: method, headers: {} };
    if (body !== undefined) { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(body); }
    return fetch('/control' + path, init).then(function (res) {
      return res.text().then(function (text) {
        var data = text ? JSON.parse(text) : {};
        if (!res.ok) throw new Error(data.error || ('HTTP ' + res.status));
        return data;
      });
    });
  }
  function fullName(user) { return user.first_name + (user.last_name ? ' ' + user.last_name : ''); }
  function avatar(user) {
    var node = el('div', 'avatar', (user.first_name || '?').charAt(0).toUpperCase());
    node.style.background = COLORS[user.id % COLORS.length];
    return node;
  }
  function who(user) {
    var box = el('div', 'who');
    box.appendChild(el('div', 'name', fullName(user) + (user.username ? ' @' + user.username : '')));
    box.appendChild(el('div', 'id', 'id ' + user.id));
    return box;
  }

  // ---- users ----
  function upsertUser(user, blocked) {
    var known = users.get(user.id);
    users.set(user.id, { user: user, blocked: blocked === undefined ? (known ? known.blocked : false) : blocked });
    var pane = panes.get(user.id);
    if (pane) renderPaneHead(pane);
    scheduleUserList();
  }
  var listScheduled = false;
  function scheduleUserList() {
    if (listScheduled) return;
    listScheduled = true;
    requestAnimationFrame(function () { listScheduled = false; renderUserList(); });
  }
  function renderUserList() {
    var list = $('users');
    var filter = $('filter').value.trim().toLowerCase();
    list.textContent = '';
    var all = Array.from(users.values()).reverse();
    var shown = 0;
    for (var i = 0; i < all.length && shown < MAX_LISTED; i++) {
      var info = all[i];
      var label = (fullName(info.user) + ' ' + (info.user.username || '') + ' ' + info.user.id).toLowerCase();
      if (filter && label.indexOf(filter) === -1) continue;
      shown++;
      var li = el('li', panes.has(info.user.id) ? 'open' : '');
      li.appendChild(avatar(info.user));
      li.appendChild(who(info.user));
      if (info.blocked) li.appendChild(el('span', 'badge', 'blocked'));
      li.addEventListener('click', openPane.bind(null, info.user.id));
      list.appendChild(li);
    }
    $('users-hint').textContent = users.size === 0 ? 'No users yet. Create one above.'
      : (all.length > shown ? 'Showing ' + shown + ' of ' + all.length + ' users' : '');
  }
  function loadUsers() {
    return control('GET', '/users').then(function (list) {
      list.forEach(function (user) { upsertUser(user); });
    });
  }
  function createUser() {
    var input = $('new-name');
    var name = input.value.trim();
    control('POST', '/users', name ? { first_name: name } : {}).then(function (user) {
      input.value = '';
      upsertUser(user, false);
      openPane(user.id);
    }, function (error) { alert('Could not create user: ' + error.message); });
  }
`;

const TAIL = String.raw`
  // ---- live stream ----
  function connect() {
    var source = new EventSource('/control/stream');
    var conn = $('conn');
    source.onopen = function () { conn.className = 'live'; conn.textContent = 'live'; };
    source.onerror = function () { conn.className = 'down'; conn.textContent = 'reconnecting'; };
    source.addEventListener('sent', function (event) {
      var data = JSON.parse(event.data);
      var pane = panes.get(data.chat_id);
      if (!pane) return;
      var entry = { seq: data.seq, from_bot: true, message: data.message, reply_markup: data.reply_markup,
        copied_from: data.copied_from, deleted: data.kind === 'delete' };
      if (data.kind === 'delete' || data.kind === 'edit') {
        var known = pane.entries.get(data.message.message_id);
        if (known) { entry.from_bot = known.entry.from_bot; entry.copied_from = known.entry.copied_from; }
      }
      pane.typing.textContent = '';
      upsertEntry(pane, entry);
    });
    source.addEventListener('update', function (event) {
      var update = JSON.parse(event.data);
      if (update.message) {
        var pane = panes.get(update.message.chat.id);
        if (pane) upsertEntry(pane, { seq: undefined, from_bot: false, message: update.message });
      } else if (update.callback_query) {
        var p = panes.get(update.callback_query.from.id);
        if (p) note(p, 'You pressed a button (' + update.callback_query.data + ')');
      }
    });
    source.addEventListener('user', function (event) {
      var data = JSON.parse(event.data);
      upsertUser(data.user, data.blocked);
    });
    source.addEventListener('action', function (event) {
      var data = JSON.parse(event.data);
      var pane = panes.get(data.chat_id);
      if (!pane) return;
      pane.typing.textContent = 'bot: ' + data.action.replace(/_/g, ' ') + '\u2026';
      clearTimeout(pane.typingTimer);
      pane.typingTimer = setTimeout(function () { pane.typing.textContent = ''; }, 5000);
    });
    source.addEventListener('answer', function (event) {
      var data = JSON.parse(event.data);
      var pane = panes.get(data.chat_id);
      if (!pane || !data.text) return;
      if (data.show_alert) alert(data.text);
      else {
        var toast = el('div', 'toast', data.text);
        appendToLog(pane, toast);
        setTimeout(function () { toast.remove(); }, 4000);
      }
    });
    source.addEventListener('reset', function () {
      users.clear();
      Array.from(panes.values()).forEach(closePane);
      scheduleUserList();
    });
  }

  function refreshStats() {
    control('GET', '/stats').then(function (s) {
      var box = $('stats');
      box.textContent = '';
      [['injected', s.updates_injected], ['delivered', s.updates_delivered], ['pending', s.pending],
        ['in flight', s.in_flight], ['failures', s.delivery_failures]].forEach(function (pair) {
        var span = el('span', '', pair[0] + ' ');
        span.appendChild(el('b', '', pair[1]));
        box.appendChild(span);
      });
    }, function () {});
  }

  $('new-user').addEventListener('submit', function (event) { event.preventDefault(); createUser(); });
  $('filter').addEventListener('input', scheduleUserList);
  loadUsers().then(renderUserList, function (error) { $('users-hint').textContent = error.message; });
  connect();
  refreshStats();
  setInterval(refreshStats, 2000);
})();
`;

/** The whole script: shared helpers and users, chat panes, then the live stream and start-up. */
export const PLAYGROUND_SCRIPT = HEAD + PANES_SCRIPT + TAIL;
