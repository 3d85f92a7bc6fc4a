import { isGender, isLanguage, isWants, type Profile, type ProfileChange } from '@hamdam/domain';
import type {
  AskAgeResult,
  ChangeRequest,
  EraseResult,
  ChangeResult,
  Profiles,
  RestoredUser,
  UserStatus,
  UserView,
} from '../profiles.js';
import type { Actor } from '../pairing.js';
import { KEY } from './keys.js';
import {
  asList,
  commonResult,
  luaFunction,
  oneOf,
  optionalNumber,
  unexpected,
  updateArgs,
  UPDATE_ARGS,
} from './lua-function.js';
import type { LuaRunner } from './lua-runner.js';

const FIELDS = [
  'state',
  'partner',
  'lang',
  'langok',
  'gender',
  'age',
  'wants',
  'amin',
  'amax',
  'xl',
  'prot',
  'qb',
] as const;

export const CHANGE = luaFunction(
  'change',
  [...UPDATE_ARGS, 'field', 'value', 'onboarding', 'query', 'message'],
  (reply): ChangeResult => {
    const [kind, partner] = asList(reply);
    const common = commonResult(kind);
    if (common) return common;
    if (kind === 'matched') return { kind, partner: Number(partner) };
    if (
      kind === 'asked' ||
      kind === 'done' ||
      kind === 'saved' ||
      kind === 'queued' ||
      kind === 'stale'
    )
      return { kind };
    throw unexpected('change', kind);
  },
);

export const RESTORE = luaFunction(
  'restore',
  ['chat', 'lang', 'gender', 'age', 'wants', 'amin', 'amax', 'xl', 'prot', 'ban', '...apart'],
  (reply) => reply === 1,
);

export const ERASE = luaFunction('erase', [...UPDATE_ARGS, 'query'], (reply): EraseResult => {
  const [kind, partner, dropped] = asList(reply);
  const common = commonResult(kind);
  if (common) return common;
  if (kind === 'erased') {
    return { kind, endedPartner: optionalNumber(partner), dropped: Number(dropped ?? 0) };
  }
  throw unexpected('erase', kind);
});

export const ASK_AGE = luaFunction(
  'askAge',
  [...UPDATE_ARGS, 'query'],
  oneOf('askAge', ['asked', 'refused', 'duplicate', 'banned', 'flooded']),
);

export class RedisProfiles implements Profiles {
  readonly #lua: LuaRunner;

  constructor(lua: LuaRunner) {
    this.#lua = lua;
  }

  async view(chatId: number): Promise<UserView> {
    const client = this.#lua.client;
    const [values, ban] = await this.#lua.command(() =>
      Promise.all([
        client.hmget(this.#lua.key(KEY.user, chatId), ...FIELDS),
        client.get(this.#lua.key(KEY.ban, chatId)),
      ]),
    );
    const v = Object.fromEntries(FIELDS.map((f, i) => [f, values[i] ?? null])) as Record<
      (typeof FIELDS)[number],
      string | null
    >;
    const status: UserStatus = v.state === 'queued' || v.state === 'chatting' ? v.state : 'idle';
    return {
      status,
      partner: v.partner ? Number(v.partner) : null,
      lang: isLanguage(v.lang) ? v.lang : null,
      profile: profileOf(v),
      bannedUntil: banEnd(ban),
      queuedIn: status === 'queued' ? v.qb : null,
    };
  }

  change(request: ChangeRequest): Promise<ChangeResult> {
    const [field, value] = encodeChange(request.change);
    return this.#lua.run(CHANGE, {
      ...updateArgs(request.chatId, request.stamp),
      field,
      value,
      onboarding: request.onboarding ? 1 : '',
      query: request.queryId,
      message: request.messageId ?? '',
    });
  }

  restore(chatId: number, saved: RestoredUser): Promise<boolean> {
    const p = saved.profile;
    // The ban mark's form (see setBan): "<end>:<reason>".
    const ban =
      saved.bannedUntil === null
        ? ''
        : `${saved.bannedUntil === 'forever' ? 'perm' : Math.round(saved.bannedUntil)}:${saved.bannedBy ?? ''}`;
    return this.#lua.run(RESTORE, {
      chat: chatId,
      lang: p.lang,
      gender: p.gender,
      age: p.age,
      wants: p.wants,
      amin: p.ageMin,
      amax: p.ageMax,
      xl: p.sameLanguage ? 's' : 'a',
      prot: p.protect ? '1' : '',
      ban,
      apart: saved.apart,
    });
  }

  erase(request: Actor & { readonly queryId: string }): Promise<EraseResult> {
    return this.#lua.run(ERASE, {
      ...updateArgs(request.chatId, request.stamp),
      query: request.queryId,
    });
  }

  askAge(request: Actor & { readonly queryId: string }): Promise<AskAgeResult> {
    return this.#lua.run(ASK_AGE, {
      ...updateArgs(request.chatId, request.stamp),
      query: request.queryId,
    });
  }
}

/** When the ban a mark ("<epoch ms>|perm", then ":<reason>") stands for ends. */
function banEnd(mark: string | null): number | 'forever' | null {
  if (mark === null) return null;
  const end = mark.split(':', 1)[0];
  return end === 'perm' ? 'forever' : Number(end);
}

function encodeChange(change: ProfileChange): [field: string, value: string] {
  switch (change.field) {
    case 'lang':
    case 'gender':
    case 'wants':
      return [change.field, change.value];
    case 'range':
      return ['range', `${change.value.min}-${change.value.max}`];
    case 'sameLanguage':
      return ['xl', change.value ? 's' : 'a'];
    case 'protect':
      return ['prot', change.value ? '1' : ''];
  }
}

function profileOf(v: Record<string, string | null>): Profile | null {
  const age = Number(v['age']);
  if (
    v['langok'] !== '1' ||
    !isLanguage(v['lang']) ||
    !isGender(v['gender']) ||
    !isWants(v['wants']) ||
    !Number.isInteger(age)
  ) {
    return null;
  }
  return {
    lang: v['lang'],
    gender: v['gender'],
    age,
    wants: v['wants'],
    ageMin: Number(v['amin']),
    ageMax: Number(v['amax']),
    sameLanguage: v['xl'] === 's',
    protect: v['prot'] === '1',
  };
}
