// Runs every compiled test file of the workspace with node's built-in runner.
// Node 20's `node --test` takes no globs, so the files are listed here.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

// Every workspace's compiled output, as the root package.json lists them.
const workspaces = JSON.parse(readFileSync('package.json', 'utf8')).workspaces;
const only = process.argv.slice(2);

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.test.js')) out.push(path);
  }
  return out;
}

const files = [];
for (const workspace of workspaces) {
  const dist = join(workspace, 'dist');
  if (safeList(dist).length > 0) walk(dist, files);
}
const selected = only.length === 0 ? files : files.filter((f) => only.some((o) => f.includes(o)));
if (selected.length === 0) {
  console.error('no test files found: run `tsc -b` first');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=4', '--test-timeout=300000', ...selected.sort()],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);

function safeList(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
