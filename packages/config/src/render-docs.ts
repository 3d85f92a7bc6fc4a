// `npm run docs:config`: writes the README's configuration table and `.env.example` from the
// schema. `config-docs.test.ts` fails when either is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderEnvExample, withConfigTable } from './config-docs.js';

const root = new URL('../../../', import.meta.url);
const readmeUrl = new URL('README.md', root);
writeFileSync(new URL('.env.example', root), renderEnvExample());
writeFileSync(readmeUrl, withConfigTable(readFileSync(readmeUrl, 'utf8')));
