import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderEnvExample, withConfigTable } from './config-docs.js';
import { VARIABLE_NAMES } from './variables.js';

const root = new URL('../../../', import.meta.url);

test('the README table and .env.example are what the schema generates (npm run docs:config)', () => {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  assert.equal(readme, withConfigTable(readme), 'README.md: run `npm run docs:config`');
  assert.equal(
    readFileSync(new URL('.env.example', root), 'utf8'),
    renderEnvExample(),
    '.env.example: run `npm run docs:config`',
  );
});

test('every variable is documented in both places, internal ones in neither', () => {
  const readme = readFileSync(new URL('README.md', root), 'utf8');
  const example = renderEnvExample();
  for (const name of VARIABLE_NAMES) {
    const internal = name === 'WORKER_INDEX' || name === 'WORKER_RESTARTS';
    assert.equal(readme.includes(`| \`${name}\` |`), !internal, `README row of ${name}`);
    assert.equal(example.includes(`#${name}=`), !internal, `.env.example line of ${name}`);
  }
});
