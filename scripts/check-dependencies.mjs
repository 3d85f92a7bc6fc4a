// The dependency check CI runs (`npm run deps:check`). These machines reach the npm registry
// for downloads only: its audit endpoint refuses (405), and the packuments it serves carry no
// signatures and no deprecation notes. So the check is offline and says so:
//   1. every package in package-lock.json comes from the npm registry (the configured one when
//      the lockfile names none) with a sha512 integrity: no git, file or plain-http sources,
//      whose content nothing pins;
//   2. no package version falls in a range of the vendored advisory snapshot
//      (security/advisories.json, dated), unless security/allowed.json allows that advisory
//      for that package, with a reason, until a date;
//   3. the snapshot's age is printed, with a warning past 90 days.
// `--import FILE` merges the advisories of an `npm audit --json` report made on a machine that
// reaches the advisory API into the snapshot and re-dates it.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import semver from 'semver';

const REGISTRY = 'https://registry.npmjs.org/';
const STALE_DAYS = 90;

/** Every installed package of a lockfile (v2/v3), with where it came from. */
export function lockedPackages(lock) {
  const out = [];
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (!path.includes('node_modules/') || entry.link) continue;
    const name =
      entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    out.push({
      path,
      name,
      version: entry.version,
      resolved: entry.resolved,
      integrity: entry.integrity,
    });
  }
  return out;
}

/**
 * The findings for a lockfile against a snapshot and an allow-list, at `today` (YYYY-MM-DD).
 * Returns { problems, allowed, warnings }: each problem fails the check.
 */
export function checkDependencies(lock, snapshot, allowList, today) {
  const problems = [];
  const allowed = [];
  const warnings = [];
  const packages = lockedPackages(lock);
  for (const p of packages) {
    // No `resolved` means the configured registry (npm leaves it out of the lockfile then).
    if (p.resolved !== undefined && !String(p.resolved).startsWith(REGISTRY))
      problems.push(`${p.path}: not from ${REGISTRY} (${p.resolved})`);
    else if (typeof p.integrity !== 'string' || !p.integrity.startsWith('sha512-'))
      problems.push(`${p.path}: no sha512 integrity`);
  }
  for (const a of snapshot.advisories) {
    for (const p of packages) {
      if (p.name !== a.package || !semver.valid(p.version)) continue;
      if (!semver.satisfies(p.version, a.vulnerable, { includePrerelease: true })) continue;
      const finding = `${p.name}@${p.version} (${p.path}): ${a.id} ${a.severity}: ${a.title}`;
      const allow = allowList.find((x) => x.id === a.id && x.package === a.package);
      if (allow && allow.until >= today)
        allowed.push(`${finding}; allowed until ${allow.until}: ${allow.reason}`);
      else if (allow) problems.push(`${finding}; its allowance ended ${allow.until}`);
      else problems.push(finding);
    }
  }
  const age = Math.floor((Date.parse(today) - Date.parse(snapshot.compiled)) / 86_400_000);
  if (!(age >= 0))
    problems.push(`the advisory snapshot's date ${snapshot.compiled} is not a past date`);
  else if (age > STALE_DAYS)
    warnings.push(
      `the advisory snapshot is ${age} days old (compiled ${snapshot.compiled}): refresh it`,
    );
  return {
    problems,
    allowed,
    warnings,
    packages: packages.length,
    advisories: snapshot.advisories.length,
    age,
  };
}

/** Merges the advisories of an `npm audit --json` report (npm 7+) into a snapshot. */
export function importAudit(snapshot, audit, today) {
  const known = new Set(snapshot.advisories.map((a) => `${a.id}|${a.package}`));
  const added = [];
  for (const vuln of Object.values(audit.vulnerabilities ?? {})) {
    for (const via of vuln.via ?? []) {
      if (typeof via !== 'object' || !via.url) continue;
      const id = via.url.split('/').pop();
      const key = `${id}|${via.name}`;
      if (known.has(key)) continue;
      known.add(key);
      added.push({
        id,
        package: via.name,
        vulnerable: via.range,
        severity: via.severity,
        title: via.title,
      });
    }
  }
  return { ...snapshot, compiled: today, advisories: [...snapshot.advisories, ...added] };
}

function main() {
  const root = fileURLToPath(new URL('../', import.meta.url));
  const read = (file) => JSON.parse(readFileSync(`${root}${file}`, 'utf8'));
  const today = new Date().toISOString().slice(0, 10);
  const snapshot = read('security/advisories.json');
  const importAt = process.argv.indexOf('--import');
  if (importAt > 0) {
    const audit = JSON.parse(readFileSync(process.argv[importAt + 1], 'utf8'));
    const merged = importAudit(snapshot, audit, today);
    writeFileSync(`${root}security/advisories.json`, `${JSON.stringify(merged, null, 2)}\n`);
    console.log(
      `advisories: ${merged.advisories.length - snapshot.advisories.length} added, dated ${today}`,
    );
    return 0;
  }
  const result = checkDependencies(
    read('package-lock.json'),
    snapshot,
    read('security/allowed.json'),
    today,
  );
  console.log(
    `dependencies: ${result.packages} packages checked against ${result.advisories} advisories (snapshot ${snapshot.compiled}, ${result.age} days old)`,
  );
  for (const line of result.allowed) console.log(`allowed: ${line}`);
  for (const line of result.warnings) console.warn(`warning: ${line}`);
  for (const line of result.problems) console.error(`problem: ${line}`);
  return result.problems.length > 0 ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit(main());
