/**
 * The chat panes of the playground script: one pane per open user with the
 * message log, reply and inline keyboards and the compose box. Shares the
 * helpers and state declared in playground-script.ts (same function scope).
 */
export const PANES_SCRIPT = String.raw`
  // ---- panes ----
  function openPane(id) {
    var existing = panes.get(id);
    if (existing) { existing.input.focus(); return; }
    var info = users.get(id);
    if (!info) return;
    var pane = { id: id, entries: new Map(), keyboard: null, maxSeq: 0, root: el('section', 'pane') };
    pane.head = el('div', 'pane-head');
    pane.typing = el('div', 'typing');
    pane.log = el('div', 'log');
    pane.kb = el('div', 'kb');
    var compose = el('form', 'compose');
    var attach = el('div', 'attach');
    Object.keys(MEDIA).forEach(function (kind) {
      var button = el('button', '', MEDIA_ICON[kind] + ' ' + MEDIA[kind]);
      button.type = 'button';
      button.addEventListener('click', function () {
        attach.classList.remove('open');
        var body = {};
        body[kind] = true;
        var caption = pane.input.value.trim();
        if (caption && kind !== 'sticker') { body.caption = caption; pane.input.value = ''; }
        userSends(pane, body);
      });
      attach.appendChild(button);
    });
    var clip = el('button', '', '+');
    clip.type = 'button';
    clip.title = 'Send media (the text box becomes the caption)';
    clip.addEventListener('click', function () { attach.classList.toggle('open'); });
    pane.input = el('input');
    pane.input.type = 'text';
    pane.input.placeholder = 'Message as ' + info.user.first_name;
    var send = el('button', 'primary', 'Send');
    compose.appendChild(attach);
    compose.appendChild(clip);
    compose.appendChild(pane.input);
    compose.appendChild(send);
    compose.addEventListener('submit', function (event) {
      event.preventDefault();
      var text = pane.input.value;
      if (!text.trim()) return;
      pane.input.value = '';
      userSends(pane, { text: text });
    });
    pane.root.appendChild(pane.head);
    pane.root.appendChild(pane.log);
    pane.root.appendChild(pane.kb);
    pane.root.appendChild(compose);
    panes.set(id, pane);
    $('empty').style.display = 'none';
    $('panes').appendChild(pane.root);
    renderPaneHead(pane);
    scheduleUserList();
    pane.input.focus();
    control('GET', '/users/' + id).then(function (data) { upsertUser(data.user, data.blocked); }, function () {});
    control('GET', '/users/' + id + '/chat').then(function (data) {
      data.messages.forEach(function (entry) { upsertEntry(pane, entry); });
    }, function (error) { note(pane, error.message, true); });
  }
  function closePane(pane) {
    panes.delete(pane.id);
    pane.root.remove();
    if (panes.size === 0) $('empty').style.display = '';
    scheduleUserList();
  }
  function renderPaneHead(pane) {
    var info = users.get(pane.id);
    if (!info) return;
    pane.head.textContent = '';
    pane.head.appendChild(avatar(info.user));
    var box = who(info.user);
    box.appendChild(pane.typing);
    pane.head.appendChild(box);
    var block = el('button', info.blocked ? '' : 'danger', info.blocked ? 'Unblock bot' : 'Block bot');
    block.title = 'Sends a my_chat_member update to the bot';
    block.addEventListener('click', function () {
      control('POST', '/users/' + pane.id + '/block', { blocked: !info.blocked }).then(function (result) {
        upsertUser(info.user, result.blocked);
        note(pane, result.blocked ? 'You blocked the bot' : 'You unblocked the bot');
      }, function (error) { note(pane, error.message, true); });
    });
    var close = el('button', '', '\u00D7');
    close.title = 'Close pane';
    close.addEventListener('click', closePane.bind(null, pane));
    pane.head.appendChild(block);
    pane.head.appendChild(close);
  }
  function userSends(pane, body) {
    control('POST', '/users/' + pane.id + '/messages', body).catch(function (error) { note(pane, error.message, true); });
  }
  function press(pane, messageId, data) {
    control('POST', '/users/' + pane.id + '/callbacks', { message_id: messageId, data: data })
      .catch(function (error) { note(pane, error.message, true); });
  }
  function note(pane, text, isError) {
    appendToLog(pane, el('div', isError ? 'note error' : 'note', text));
  }
  function appendToLog(pane, node) {
    var log = pane.log;
    var atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    log.appendChild(node);
    if (atBottom) log.scrollTop = log.scrollHeight;
  }

  // ---- messages ----
  function upsertEntry(pane, entry) {
    // Stream updates carry no seq; place them right after everything seen so far.
    if (entry.seq === undefined) entry.seq = pane.maxSeq + 0.5;
    var newest = entry.seq >= pane.maxSeq;
    pane.maxSeq = Math.max(pane.maxSeq, entry.seq);
    var id = entry.message.message_id;
    var known = pane.entries.get(id);
    var node = renderEntry(pane, entry);
    if (known) {
      if (known.entry.seq < entry.seq && entry.from_bot === false) entry.seq = known.entry.seq;
      known.node.replaceWith(node);
      known.node = node;
      known.entry = entry;
    } else {
      pane.entries.set(id, { entry: entry, node: node });
      var later = null;
      if (!newest) {
        pane.entries.forEach(function (other) {
          if (other.entry.seq > entry.seq && (!later || other.entry.seq < later.entry.seq)) later = other;
        });
      }
      if (later) pane.log.insertBefore(node, later.node); else appendToLog(pane, node);
    }
    var markup = entry.reply_markup;
    if (entry.from_bot && markup && !markup.inline_keyboard && !entry.deleted && !known) setKeyboard(pane, markup);
  }
  function describeContent(message) {
    for (var kind in MEDIA) if (message[kind]) return MEDIA_ICON[kind] + ' ' + MEDIA[kind];
    return null;
  }
  function renderEntry(pane, entry) {
    var message = entry.message;
    var row = el('div', 'row ' + (entry.from_bot ? 'bot' : 'user') + (entry.deleted ? ' deleted' : ''));
    var info = users.get(pane.id);
    row.appendChild(el('div', 'sender', entry.from_bot ? '\uD83E\uDD16 Bot' : 'You' + (info ? ' (' + info.user.first_name + ')' : '')));
    var bubble = el('div', 'bubble');
    if (message.reply_to_message) {
      var quoted = message.reply_to_message;
      bubble.appendChild(el('div', 'quote', quoted.text || quoted.caption || describeContent(quoted) || 'message'));
    }
    var media = describeContent(message);
    if (media) bubble.appendChild(el('div', 'media', media));
    var text = message.text !== undefined ? message.text : message.caption;
    if (text) bubble.appendChild(el('div', '', text));
    row.appendChild(bubble);
    var meta = ['#' + message.message_id, new Date(message.date * 1000).toLocaleTimeString()];
    if (message.edit_date) meta.push('edited');
    if (entry.deleted) meta.push('deleted');
    if (message.media_group_id) meta.push('album ' + message.media_group_id);
    if (message.has_protected_content) meta.push('protected');
    if (entry.copied_from) meta.push('copied from ' + entry.copied_from.chat_id + ' #' + entry.copied_from.message_id);
    row.appendChild(el('div', 'meta', meta.join(' \u00B7 ')));
    var markup = message.reply_markup;
    if (markup && markup.inline_keyboard && !entry.deleted) row.appendChild(renderInlineKeyboard(pane, message, markup));
    return row;
  }
  function renderInlineKeyboard(pane, message, markup) {
    var box = el('div', 'ikb');
    markup.inline_keyboard.forEach(function (buttons) {
      var r = el('div', 'r');
      buttons.forEach(function (button) {
        var b = el('button', '', button.text + (button.url ? ' \u2197' : ''));
        b.type = 'button';
        if (button.callback_data !== undefined) {
          b.addEventListener('click', press.bind(null, pane, message.message_id, button.callback_data));
        } else if (button.url) {
          b.addEventListener('click', function () { window.open(button.url, '_blank', 'noopener'); });
        } else {
          b.disabled = true;
        }
        r.appendChild(b);
      });
      box.appendChild(r);
    });
    return box;
  }
  function setKeyboard(pane, markup) {
    pane.kb.textContent = '';
    pane.keyboard = markup.keyboard ? markup : null;
    if (markup.force_reply || markup.keyboard) {
      pane.input.placeholder = markup.input_field_placeholder || pane.input.placeholder;
    }
    if (!markup.keyboard) return;
    markup.keyboard.forEach(function (buttons) {
      var r = el('div', 'r');
      buttons.forEach(function (button) {
        var b = el('button', '', button.text);
        b.type = 'button';
        b.addEventListener('click', function () {
          userSends(pane, { text: button.text });
          if (markup.one_time_keyboard) pane.kb.textContent = '';
        });
        r.appendChild(b);
      });
      pane.kb.appendChild(r);
    });
  }
`;
