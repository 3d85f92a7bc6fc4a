import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDependencies, importAudit } from './check-dependencies.mjs';

const lock = (packages) => ({
  lockfileVersion: 3,
  packages: { '': { name: 'hamdam' }, 'apps/bot': { version: '0.1.0' }, ...packages },
});
const from = (name, version) => ({
  version,
  resolved: `https://registry.npmjs.org/${name}/-/${name}-${version}.tgz`,
  integrity: 'sha512-AAAA',
});
const snapshot = {
  compiled: '2026-11-01',
  advisories: [
    {
      id: 'GHSA-1',
      package: 'semver',
      vulnerable: '>=7.0.0 <7.5.2',
      severity: 'moderate',
      title: 'ReDoS',
    },
  ],
};

test('a version inside an advisory range fails the check, one outside passes', () => {
  const bad = checkDependencies(
    lock({ 'node_modules/semver': from('semver', '7.5.1') }),
    snapshot,
    [],
    '2026-11-29',
  );
  assert.equal(bad.problems.length, 1);
  assert.match(bad.problems[0], /semver@7\.5\.1 .*GHSA-1 moderate/);
  const good = checkDependencies(
    lock({ 'node_modules/semver': from('semver', '7.5.2') }),
    snapshot,
    [],
    '2026-11-29',
  );
  assert.deepEqual(good.problems, []);
  assert.equal(good.packages, 1, 'workspace links and the root are not packages');
});

test('nested copies are checked by name, and an allowance holds only until its date', () => {
  const l = lock({ 'node_modules/x/node_modules/semver': from('semver', '7.0.0') });
  const allow = [
    {
      id: 'GHSA-1',
      package: 'semver',
      reason: 'not reachable: dev tool only',
      until: '2026-12-31',
    },
  ];
  const now = checkDependencies(l, snapshot, allow, '2026-11-29');
  assert.deepEqual(now.problems, []);
  assert.match(now.allowed[0], /not reachable/);
  const later = checkDependencies(l, snapshot, allow, '2027-01-01');
  assert.match(later.problems[0], /allowance ended 2026-12-31/);
});

test('packages from git, files or without sha512 integrity fail', () => {
  const r = checkDependencies(
    lock({
      'node_modules/plain': { version: '1.0.0', integrity: 'sha512-BBBB' },
      'node_modules/a': { version: '1.0.0', resolved: 'git+ssh://git@github.com/a/a.git#abc' },
      'node_modules/b': {
        version: '1.0.0',
        resolved: 'https://registry.npmjs.org/b/-/b-1.0.0.tgz',
        integrity: 'sha1-abc',
      },
    }),
    snapshot,
    [],
    '2026-11-29',
  );
  assert.equal(r.problems.length, 2);
  assert.match(r.problems[0], /node_modules\/a: not from/);
  assert.match(r.problems[1], /node_modules\/b: no sha512/);
});

test('an old snapshot warns; one dated in the future fails', () => {
  assert.match(checkDependencies(lock({}), snapshot, [], '2027-06-01').warnings[0], /days old/);
  assert.match(
    checkDependencies(lock({}), snapshot, [], '2026-10-01').problems[0],
    /not a past date/,
  );
});

test('an npm audit report adds its advisories once and re-dates the snapshot', () => {
  const audit = {
    vulnerabilities: {
      ws: {
        via: [
          {
            name: 'ws',
            url: 'https://github.com/advisories/GHSA-3h5v',
            range: '>=8.0.0 <8.17.1',
            severity: 'high',
            title: 'DoS',
          },
          'some-parent',
        ],
      },
      semver: {
        via: [
          {
            name: 'semver',
            url: 'https://github.com/advisories/GHSA-1',
            range: '<1',
            severity: 'low',
            title: 'x',
          },
        ],
      },
    },
  };
  const merged = importAudit(snapshot, audit, '2026-12-01');
  assert.equal(merged.compiled, '2026-12-01');
  assert.deepEqual(
    merged.advisories.map((a) => a.id),
    ['GHSA-1', 'GHSA-3h5v'],
  );
});
