// Lints the Lua library with luacheck as Redis loads it (the generated header, then every file
// in order, as one chunk), and reports each finding at its own file and line.
import { spawnSync } from 'node:child_process';
import { LIBRARY_PARTS } from '../packages/store/dist/redis/library.js';

const which = spawnSync('luacheck', ['--version'], { encoding: 'utf8' });
if (which.error) {
  console.error('luacheck not found: install it (Debian: apt-get install lua-check)');
  process.exit(1);
}

// Where each part starts in the chunk (1-based lines).
const starts = [];
let line = 1;
for (const part of LIBRARY_PARTS) {
  starts.push({ name: part.name, line });
  line += part.source.split('\n').length;
}
const source = LIBRARY_PARTS.map((part) => part.source).join('\n');
const result = spawnSync(
  'luacheck',
  [
    '--config',
    'packages/store/.luacheckrc',
    '--formatter',
    'plain',
    '--codes',
    '--filename',
    'hamdam.lua',
    '-',
  ],
  { input: source, encoding: 'utf8' },
);
const findings = result.stdout.split('\n').filter((l) => l.trim() !== '');
for (const finding of findings) {
  const m = /^[^:]*:(\d+):(\d+): (.*)$/.exec(finding);
  if (!m) {
    console.error(finding);
    continue;
  }
  const at = Number(m[1]);
  const part = starts.findLast((s) => s.line <= at);
  console.error(`packages/store/lua/${part.name}:${at - part.line + 1}:${m[2]}: ${m[3]}`);
}
if (result.status !== 0) {
  if (findings.length === 0) console.error(result.stderr);
  process.exit(1);
}
console.log(`luacheck: the library (${LIBRARY_PARTS.length - 1} files) is clean`);
