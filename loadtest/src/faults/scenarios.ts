// The fault suite's rows, one fault each, in the order they run (docs/reliability.md says what
// each costs). A row injects five seconds after the ramp and returns when its cause is over.
import { setTimeout as sleep } from 'node:timers/promises';
import { saying } from './people.js';
import {
  check,
  control,
  killWorker,
  readiness,
  workerPids,
  type Scenario,
} from './fault-context.js';
import { fuzzWebhook } from './webhook-fuzz.js';

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'baseline',
    fault: 'none (the same load, for comparison)',
    fullOnly: true,
    async inject(ctx) {
      return { endedAt: ctx.now(), checks: [] };
    },
  },
  {
    name: 'worker-sigkill',
    fault: 'SIGKILL of one of two workers',
    async inject(ctx) {
      const replaced = await killWorker(ctx, 0);
      return { endedAt: ctx.now(), checks: [replaced] };
    },
  },
  {
    name: 'redis-restart',
    fault: 'Redis stopped (SIGTERM, AOF on) and started again',
    async inject(ctx) {
      await ctx.redis.stop('SIGTERM');
      await sleep(ctx.scale.outageMs);
      await ctx.redis.start();
      return { endedAt: ctx.now(), checks: [] };
    },
  },
  {
    name: 'redis-kill',
    fault: 'Redis killed (SIGKILL, AOF fsync every second) and started again',
    async inject(ctx) {
      await ctx.redis.stop('SIGKILL');
      await sleep(ctx.scale.outageMs);
      await ctx.redis.start();
      return { endedAt: ctx.now(), checks: [] };
    },
  },
  {
    name: 'postgres-outage',
    fault: 'Postgres stopped, a worker killed and restarted during the outage',
    async inject(ctx) {
      const started = performance.now();
      await ctx.postgres.stop();
      await sleep(Math.min(3_000, ctx.scale.pgOutageMs / 4));
      const replaced = await killWorker(ctx, 1);
      const ready = await readiness(ctx);
      const left = ctx.scale.pgOutageMs - (performance.now() - started);
      if (left > 0) await sleep(left);
      await ctx.postgres.start();
      return {
        endedAt: ctx.now(),
        checks: [
          { ...replaced, what: 'worker started without Postgres' },
          check(
            'ready on Redis alone',
            ready.every((r) => r.startsWith('200') && r.includes('"postgres":"unreachable"')),
            ready.join('; '),
          ),
        ],
      };
    },
  },
  {
    name: 'api-429',
    fault: 'Bot API answers 429 (retry_after 1 s) to 400 calls',
    async inject(ctx) {
      await control(ctx, 'POST', '/faults', { count: 400, error_code: 429, retry_after: 1 });
      await sleep(ctx.scale.outageMs);
      await control(ctx, 'DELETE', '/faults');
      return { endedAt: ctx.now(), checks: [] };
    },
  },
  {
    name: 'api-500',
    fault: 'Bot API answers 500 to every call',
    async inject(ctx) {
      await control(ctx, 'POST', '/faults', { count: 1_000_000, error_code: 500 });
      await sleep(ctx.scale.outageMs);
      await control(ctx, 'DELETE', '/faults');
      return { endedAt: ctx.now(), checks: [] };
    },
  },
  {
    name: 'api-slow',
    fault: 'Bot API answers after 2 s (under the send timeout)',
    fullOnly: true,
    async inject(ctx) {
      await control(ctx, 'POST', '/latency', { ms: 2_000 });
      await sleep(ctx.scale.outageMs);
      await control(ctx, 'POST', '/latency', { ms: 0 });
      return { endedAt: ctx.now(), checks: [] };
    },
  },
  {
    name: 'api-slower-than-timeout',
    fault: 'Bot API answers after 1.5 s with SEND_TIMEOUT_MS=1000',
    env: { SEND_TIMEOUT_MS: '1000' },
    window: true,
    fullOnly: true,
    async inject(ctx) {
      await control(ctx, 'POST', '/latency', { ms: 1_500 });
      await sleep(Math.min(ctx.scale.outageMs, 3_000));
      await control(ctx, 'POST', '/latency', { ms: 0 });
      return { endedAt: ctx.now(), checks: [] };
    },
  },
  {
    name: 'flooder',
    fault: '100 messages in one burst at a partner, who then presses Stop',
    async inject(ctx) {
      const { people } = ctx;
      const [flooder, victim] = await people.pair('Flooder', 'Victim');
      // A chat under way: the victim's allowance of one message a second per chat is full again
      // after the burst of onboarding and pairing messages.
      await sleep(6_000);
      const flood = Array.from({ length: 100 }, (_, i) => `flood ${i}`);
      await people.flood(flooder, flood);
      const stoppedAt = performance.now();
      await people.say(victim, '/stop');
      const ended = await people.waitFor(victim, saying('youEnded'));
      const endMs = Math.round(ended.at - stoppedAt);
      const inbox = people.received(victim);
      const after = inbox.slice(inbox.indexOf(ended)).filter((r) => r.text.startsWith('flood '));
      const before = inbox.filter((r) => r.text.startsWith('flood ')).length - after.length;
      // The victim's next chat is not held up behind the flood.
      const next = await people.person('Next');
      await people.say(victim, '/find');
      await people.say(next, '/find');
      await people.waitFor(victim, saying('matched'));
      const saidAt = performance.now();
      await people.say(next, 'hello victim');
      const hello = await people.waitFor(victim, (r) => r.text === 'hello victim');
      const helloMs = Math.round(hello.at - saidAt);
      await people.say(next, '/stop');
      const floodCopies = () =>
        people.received(victim).filter((r) => r.text.startsWith('flood ')).length;
      return {
        endedAt: ctx.now(),
        // Each flood message was passed on, refused (the flooder was told it is not in a chat)
        // or dropped by the bot (flood control, or owed when the chat ended).
        ownDrops: () =>
          flood.length -
          floodCopies() -
          people.received(flooder).filter(saying('notChatting')).length,
        checks: [
          check('Stop answered at once', endMs < 3_000, `"You ended the chat" after ${endMs} ms`),
          check(
            'no flood after Stop',
            after.length === 0,
            `${after.length} copies after Stop, ${before} before`,
          ),
          check(
            'next chat not held up',
            helloMs < 2_000,
            `next partner's first message in ${helloMs} ms`,
          ),
        ],
      };
    },
  },
  {
    name: 'blocks-bot',
    fault: 'users block the bot mid-chat (5 chats)',
    async inject(ctx) {
      const { people } = ctx;
      const pairs: [number, number][] = [];
      for (let i = 0; i < 5; i++) pairs.push(await people.pair(`Stays${i}`, `Blocks${i}`));
      const at = performance.now();
      for (const [, blocker] of pairs) await people.blockBot(blocker);
      const told = await Promise.all(
        pairs.map(([stays]) => people.waitFor(stays, saying('partnerLeft')).then((r) => r.at - at)),
      );
      for (const [stays] of pairs) await people.say(stays, 'anyone?');
      await Promise.all(pairs.map(([stays]) => people.waitFor(stays, saying('notChatting'))));
      const slowest = Math.round(Math.max(...told));
      return {
        endedAt: ctx.now(),
        checks: [
          check(
            'partners told',
            slowest < 3_000,
            `all 5 told their partner left within ${slowest} ms`,
          ),
        ],
      };
    },
  },
  {
    name: 'webhook-fuzz',
    fault: 'the webhook fuzzed through nginx',
    async inject(ctx) {
      const pids = await workerPids(ctx);
      const { topology } = ctx;
      const result = await fuzzWebhook(
        `${topology.nginxUrl}${topology.webhookPath}`,
        topology.secret,
        ctx.random,
        ctx.scale.mutations,
      );
      const after = await workerPids(ctx).catch(() => [0, 0]);
      const statuses = Object.entries(result.byStatus)
        .map(([code, n]) => `${code}×${n}`)
        .join(' ');
      return {
        endedAt: ctx.now(),
        checks: [
          check('no 5xx', result.serverErrors === 0, `${result.requests} requests: ${statuses}`),
          check(
            'fixed cases answered as expected',
            result.unexpected.length === 0,
            result.unexpected.join('; ') || 'all as expected',
          ),
          check(
            'no worker died',
            after.every((pid, i) => pid === pids[i]),
            `pids ${pids.join(',')} → ${after.join(',')}`,
          ),
        ],
      };
    },
  },
];
