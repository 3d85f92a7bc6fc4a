import { Pool } from 'undici';

export interface FuzzResult {
  readonly requests: number;
  /** Answers by status code. */
  readonly byStatus: Record<string, number>;
  /** Requests of the fixed cases whose answer was not the one expected. */
  readonly unexpected: readonly string[];
  /** Answers of 500 and above, or no answer at all: each is a bug. */
  readonly serverErrors: number;
}

/** Fake senders, far from the emulator's ids, so no fuzzed update speaks for a real user. */
const FAKE_BASE = 7_000_000_000_000;

const WEIRD: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  2 ** 60,
  -(2 ** 60),
  Number.MAX_SAFE_INTEGER,
  '',
  ' ',
  '0',
  'x'.repeat(5_000),
  '\u0000\u0001\u001f',
  '\ud800',
  '🙂'.repeat(100),
  '/start',
  '/find',
  '/next',
  '/stop',
  '/report',
  '/block',
  '/settings',
  '/ban 1',
  '/broadcast hi',
  's:w:f',
  'o:l:fa',
  'r:spam',
  'garbage:data:here',
  [],
  [1, 'a', null],
  {},
  { id: 'x' },
  JSON.parse('{"__proto__":{"polluted":true}}'),
  { constructor: { prototype: { polluted: true } } },
];

/**
 * Throws odd requests at the webhook: forged secrets, oversized, malformed and deeply nested
 * bodies, unknown update kinds, then `mutations` random mutations of real update shapes. A
 * request may be refused (4xx) or taken (2xx); an answer of 500 or more, or none, is a bug.
 */
export async function fuzzWebhook(
  url: string,
  secret: string,
  random: () => number,
  mutations: number,
): Promise<FuzzResult> {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: 16 });
  const byStatus: Record<string, number> = {};
  const unexpected: string[] = [];
  let requests = 0;
  let serverErrors = 0;

  const post = async (body: string | Buffer, headers: Record<string, string>): Promise<number> => {
    requests++;
    try {
      const response = await pool.request({
        method: 'POST',
        path: target.pathname,
        headers,
        body,
        headersTimeout: 15_000,
        bodyTimeout: 15_000,
      });
      await response.body.dump();
      const code = response.statusCode;
      byStatus[code] = (byStatus[code] ?? 0) + 1;
      if (code >= 500) serverErrors++;
      return code;
    } catch {
      byStatus['no answer'] = (byStatus['no answer'] ?? 0) + 1;
      serverErrors++;
      return 0;
    }
  };
  const json = { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret };
  const expect = async (
    what: string,
    status: (code: number) => boolean,
    body: string | Buffer,
    headers: Record<string, string> = json,
  ) => {
    const code = await post(body, headers);
    if (!status(code)) unexpected.push(`${what}: ${code}`);
  };
  const is = (n: number) => (code: number) => code === n;
  const taken = (code: number) => code >= 200 && code < 300;
  const refused = (code: number) => code >= 400 && code < 500;
  let updateId = 1 + Math.floor(random() * 1e6);
  const fakeUser = () => FAKE_BASE + Math.floor(random() * 1_000_000);
  const valid = () => JSON.stringify(templates(updateId++, fakeUser())[0]);

  try {
    // Forged secrets, before the body is read.
    await expect('wrong secret', is(401), valid(), {
      ...json,
      'x-telegram-bot-api-secret-token': 'forged',
    });
    await expect('empty secret', is(401), valid(), {
      ...json,
      'x-telegram-bot-api-secret-token': '',
    });
    await expect('longer secret', is(401), valid(), {
      ...json,
      'x-telegram-bot-api-secret-token': `${secret}x`,
    });
    await expect('no secret', is(401), valid(), { 'content-type': 'application/json' });
    // Bodies that are not an update.
    await expect(
      'oversized',
      is(413),
      JSON.stringify({ update_id: updateId++, pad: 'x'.repeat(300_000) }),
    );
    for (const body of [
      '',
      '{',
      '{"update_id":',
      'null',
      '[]',
      '"x"',
      '1',
      '{"update_id":"1"}',
      '\xff\xfe',
    ])
      await expect(`malformed ${JSON.stringify(body)}`, refused, body);
    await expect('not JSON', refused, valid(), { ...json, 'content-type': 'text/plain' });
    await expect('negative update_id', is(400), JSON.stringify({ update_id: -5 }));
    const deep = `{"update_id":${updateId++},"message":{"message_id":1,"chat":{"id":${fakeUser()}},"x":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`;
    await expect('deeply nested', (c) => taken(c) || refused(c), deep);
    const deepObject = `{"update_id":${updateId++},"poll":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
    await expect('deeply nested object', (c) => taken(c) || refused(c), deepObject);
    // Update kinds hamdam does not handle are taken and ignored (never redelivered forever).
    for (const kind of [
      'channel_post',
      'poll',
      'chat_join_request',
      'business_message',
      'x'.repeat(500),
      'constructor',
    ])
      await expect(
        `kind ${kind.slice(0, 20)}`,
        taken,
        `{"update_id":${updateId++},${JSON.stringify(kind)}:{"id":1}}`,
      );
    // A prototype key is refused by the JSON parser itself (secure-json-parse), never applied.
    await expect(
      'a __proto__ key',
      refused,
      `{"update_id":${updateId++},"__proto__":{"polluted":true}}`,
    );
    // Random mutations of real shapes, 16 at a time.
    let left = mutations;
    const lane = async () => {
      while (left-- > 0) {
        const shapes = templates(updateId++, fakeUser());
        const update = shapes[Math.floor(random() * shapes.length)]!;
        const times = 1 + Math.floor(random() * 4);
        for (let i = 0; i < times; i++) mutate(update, random);
        await post(JSON.stringify(update) ?? 'null', json);
      }
    };
    await Promise.all(Array.from({ length: 16 }, lane));
  } finally {
    await pool.close();
  }
  return { requests, byStatus, unexpected, serverErrors };
}

/** Real update shapes from one sender. */
function templates(updateId: number, user: number): Record<string, unknown>[] {
  const from = { id: user, is_bot: false, first_name: 'Fuzz', language_code: 'en' };
  const chat = { id: user, type: 'private', first_name: 'Fuzz' };
  const message = { message_id: updateId, date: 1_700_000_000, chat, from, text: 'hello' };
  return [
    { update_id: updateId, message },
    { update_id: updateId, message: { ...message, text: '/find' } },
    {
      update_id: updateId,
      message: {
        ...message,
        text: undefined,
        photo: [{ file_id: 'f', file_unique_id: 'u', width: 1, height: 1 }],
        caption: 'c',
      },
    },
    { update_id: updateId, edited_message: { ...message, edit_date: 1_700_000_001 } },
    {
      update_id: updateId,
      callback_query: {
        id: String(updateId),
        from,
        chat_instance: '1',
        data: 's:w:f',
        message: { ...message, from: { id: 1, is_bot: true, first_name: 'bot' } },
      },
    },
    {
      update_id: updateId,
      my_chat_member: {
        chat,
        from,
        date: 1_700_000_000,
        old_chat_member: { status: 'member', user: from },
        new_chat_member: { status: 'kicked', user: from, until_date: 0 },
      },
    },
  ];
}

/** One random change somewhere in the tree: a value replaced, a key dropped or added. */
function mutate(root: Record<string, unknown>, random: () => number): void {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  let node: Record<string, unknown> = root;
  for (let depth = 0; depth < 4; depth++) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = pick(keys);
    const child = node[key];
    if (child && typeof child === 'object' && !Array.isArray(child) && random() < 0.6) {
      node = child as Record<string, unknown>;
      continue;
    }
    const roll = random();
    if (roll < 0.2) delete node[key];
    else if (roll < 0.3) node[`${key}_${Math.floor(random() * 100)}`] = pick(WEIRD);
    else node[key] = pick(WEIRD);
    return;
  }
}
