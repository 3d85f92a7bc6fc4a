// Matchmaking benchmark: the real Redis store under three scenarios (queue fill, arrivals
// against a standing queue, queue size), correctness checked after each. See USAGE.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { parseCliArgs, USAGE, UsageError } from './args.js';
import { InvariantError } from './integrity.js';
import { renderMarkdown, writeReport } from './report.js';
import { defaultSettings, runMatchmakingBench } from './run-bench.js';

/** apps/bench/dist/ → the repository root, so the default output lands in loadtest/reports/. */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const EXIT_VIOLATION = 1;
const EXIT_USAGE = 2;
const EXIT_INTERRUPTED = 130;

const say = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(): Promise<number> {
  let args;
  try {
    args = parseCliArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    say(`${err.message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  // The first Ctrl-C stops issuing calls and lets clean-up remove the benchmark's keys;
  // a second one leaves at once for someone who cannot wait.
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupts += 1;
    if (interrupts > 1) {
      say('interrupted again: leaving without clean-up');
      process.exit(EXIT_INTERRUPTED);
    }
    say(`${signal}: stopping and removing the benchmark's keys…`);
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const startedAt = new Date().toISOString().slice(0, 19).replace(/:/g, '-');
  const jsonPath = args.out
    ? resolve(args.out)
    : join(REPO_ROOT, 'loadtest', 'reports', `matchmaking-${startedAt}Z.json`);
  try {
    const report = await runMatchmakingBench({
      redisUrl: args.redisUrl,
      settings: defaultSettings(args.users, args.runs),
      signal: controller.signal,
      progress: say,
    });
    const markdown = renderMarkdown(report);
    const markdownPath = await writeReport(report, jsonPath, markdown);
    process.stdout.write(markdown);
    say(`wrote ${jsonPath}\n  and ${markdownPath}`);
    return 0;
  } catch (err) {
    if (controller.signal.aborted) {
      say('interrupted; the benchmark keys were removed');
      return EXIT_INTERRUPTED;
    }
    if (err instanceof InvariantError) {
      say(`CORRECTNESS VIOLATION — ${err.message}`);
      return EXIT_VIOLATION;
    }
    say(`benchmark failed: ${describe(err)}`);
    return EXIT_VIOLATION;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The message and, down the chain of causes, each cause's message: enough to act on. */
function describe(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && depth < 5; depth++) {
    parts.push(e instanceof Error ? e.message : inspect(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(': ');
}

process.exitCode = await main();
