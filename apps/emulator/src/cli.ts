#!/usr/bin/env node
import { pino } from 'pino';
import { CliUsageError, USAGE, parseCliArgs } from './cli-args.js';
import { createEmulator } from './emulator.js';

async function main(): Promise<void> {
  let args;
  try {
    args = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const emulator = createEmulator({
    token: args.token,
    host: args.host,
    port: args.port,
    ...(args.botName === undefined ? {} : { botName: args.botName }),
    ...(args.retryBaseMs === undefined ? {} : { retryBaseMs: args.retryBaseMs }),
    ...(args.retryMaxMs === undefined ? {} : { retryMaxMs: args.retryMaxMs }),
    ...(args.chatLogMaxAgeMs === undefined ? {} : { chatLogMaxAgeMs: args.chatLogMaxAgeMs }),
    logger: pino({ level: process.env['LOG_LEVEL'] ?? 'warn' }),
  });
  const url = await emulator.listen();
  process.stdout.write(
    `Telegram Bot API emulator listening on ${url}\n` +
      `  playground: ${url}/\n` +
      `  Bot API:    ${url}/bot${args.token}/<method>\n` +
      `  control:    ${url}/control/...\n`,
  );
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`error while closing: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
