/** Stylesheet of the playground page; inline because the page must work without any other asset. */
export const PLAYGROUND_CSS = `
:root {
  --bg: #eef1f5; --panel: #ffffff; --text: #1c2430; --muted: #6b7685; --line: #dde3ea;
  --accent: #2f7de1; --user: #2f7de1; --user-text: #ffffff; --bot: #f3f5f8; --bot-line: #dfe5ec;
  --danger: #d64545; --ok: #2e9d5b; --chip: #e6eefb;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #12161c; --panel: #1b2028; --text: #e6ebf1; --muted: #8d98a7; --line: #2a313c;
    --accent: #4f95ef; --user: #3b7fd6; --user-text: #ffffff; --bot: #242b35; --bot-line: #2f3844;
    --chip: #25344a;
  }
}
* { box-sizing: border-box; }
html, body { height: 100%; margin: 0; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: var(--bg); color: var(--text);
  display: grid; grid-template-rows: auto 1fr; }
header { display: flex; align-items: center; gap: 16px; padding: 10px 16px; background: var(--panel);
  border-bottom: 1px solid var(--line); }
header h1 { font-size: 16px; margin: 0; font-weight: 600; }
#stats { color: var(--muted); font-size: 12px; display: flex; gap: 12px; flex-wrap: wrap; }
#stats b { color: var(--text); font-weight: 600; }
#conn { margin-left: auto; font-size: 12px; color: var(--muted); }
#conn.live::before { content: "\\25CF "; color: var(--ok); }
#conn.down::before { content: "\\25CF "; color: var(--danger); }
main { display: grid; grid-template-columns: 260px 1fr; min-height: 0; }
aside { background: var(--panel); border-right: 1px solid var(--line); display: flex; flex-direction: column; min-height: 0; }
.new-user { display: flex; gap: 6px; padding: 12px; border-bottom: 1px solid var(--line); }
.new-user input { flex: 1; min-width: 0; }
input[type=text] { padding: 7px 9px; border: 1px solid var(--line); border-radius: 8px; background: var(--bg); color: var(--text); font: inherit; }
button { font: inherit; border: 1px solid var(--line); background: var(--panel); color: var(--text); border-radius: 8px;
  padding: 6px 10px; cursor: pointer; }
button:hover { border-color: var(--accent); }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.danger { color: var(--danger); }
button:disabled { opacity: .5; cursor: default; }
#filter { margin: 8px 12px; }
#users { list-style: none; margin: 0; padding: 0 6px 12px; overflow-y: auto; flex: 1; }
#users li { display: flex; align-items: center; gap: 8px; padding: 7px 8px; border-radius: 8px; cursor: pointer; }
#users li:hover { background: var(--bg); }
#users li.open { background: var(--chip); }
.avatar { width: 28px; height: 28px; border-radius: 50%; display: grid; place-items: center; color: #fff; font-weight: 600;
  font-size: 12px; flex: none; }
.who { min-width: 0; }
.who .name { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.who .id { color: var(--muted); font-size: 11px; }
.badge { margin-left: auto; font-size: 10px; padding: 1px 6px; border-radius: 10px; background: var(--danger); color: #fff; }
.hint { color: var(--muted); padding: 8px 14px; font-size: 12px; }
#panes { display: flex; gap: 12px; padding: 12px; overflow-x: auto; min-height: 0; }
#empty { margin: auto; color: var(--muted); text-align: center; }
.pane { flex: 1 0 340px; max-width: 520px; background: var(--panel); border: 1px solid var(--line); border-radius: 12px;
  display: flex; flex-direction: column; min-height: 0; }
.pane-head { display: flex; align-items: center; gap: 8px; padding: 10px 12px; border-bottom: 1px solid var(--line); }
.pane-head .who { flex: 1; }
.typing { color: var(--accent); font-size: 11px; height: 14px; }
.log { flex: 1; overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 8px; }
.row { display: flex; flex-direction: column; max-width: 85%; }
.row.user { align-self: flex-end; align-items: flex-end; }
.row.bot { align-self: flex-start; align-items: flex-start; }
.sender { font-size: 11px; color: var(--muted); margin: 0 6px 2px; }
.bubble { padding: 7px 10px; border-radius: 12px; white-space: pre-wrap; word-break: break-word; }
.row.user .bubble { background: var(--user); color: var(--user-text); border-bottom-right-radius: 4px; }
.row.bot .bubble { background: var(--bot); border: 1px solid var(--bot-line); border-bottom-left-radius: 4px; }
.row.deleted .bubble { opacity: .55; text-decoration: line-through; }
.media { font-weight: 600; }
.quote { border-left: 3px solid currentColor; padding-left: 6px; margin-bottom: 4px; opacity: .75; font-size: 12px; }
.meta { font-size: 10px; color: var(--muted); margin: 2px 6px 0; }
.ikb { display: grid; gap: 4px; margin-top: 4px; width: 100%; }
.ikb .r { display: flex; gap: 4px; }
.ikb button { flex: 1; font-size: 12px; padding: 5px 8px; background: var(--chip); border-color: transparent; }
.note { align-self: center; font-size: 11px; color: var(--muted); background: var(--bg); padding: 3px 10px; border-radius: 10px; }
.note.error { color: var(--danger); }
.toast { align-self: center; font-size: 12px; background: var(--text); color: var(--panel); padding: 5px 12px; border-radius: 10px; }
.kb { display: grid; gap: 4px; padding: 8px 12px 0; }
.kb .r { display: flex; gap: 4px; }
.kb button { flex: 1; background: var(--chip); border-color: transparent; }
.compose { display: flex; gap: 6px; padding: 10px 12px; border-top: 1px solid var(--line); position: relative; }
.compose input { flex: 1; min-width: 0; }
.attach { display: none; position: absolute; bottom: 48px; left: 12px; background: var(--panel); border: 1px solid var(--line);
  border-radius: 10px; padding: 6px; gap: 4px; flex-direction: column; box-shadow: 0 6px 18px rgba(0,0,0,.15); }
.attach.open { display: flex; }
`;
