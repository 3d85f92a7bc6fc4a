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
import type { UserStep } from '../pairing.js';
import { KEY } from './keys.js';
import { commonResult, optionalNumber, unexpected, type ScriptRunner } from './script-runner.js';

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

export class RedisProfiles implements Profiles {
  readonly #redis: ScriptRunner;

  constructor(redis: ScriptRunner) {
    this.#redis = redis;
  }

  async view(chatId: number): Promise<UserView> {
    const client = this.#redis.client;
    const [values, ban] = await this.#redis.call(() =>
      Promise.all([
        client.hmget(this.#redis.key(KEY.user, chatId), ...FIELDS),
        client.get(this.#redis.key(KEY.ban, chatId)),
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

  async change(request: ChangeRequest): Promise<ChangeResult> {
    const [field, value] = encodeChange(request.change);
    const [kind, partner] = await this.#redis.step(
      'hamdamChange',
      request.chatId,
      request.stamp,
      field,
      value,
      request.onboarding ? 1 : '',
      request.queryId,
    );
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
  }

  async restore(chatId: number, saved: RestoredUser): Promise<boolean> {
    const p = saved.profile;
    // The ban mark's form (see setBan): "<end>:<reason>".
    const ban =
      saved.bannedUntil === null
        ? ''
        : `${saved.bannedUntil === 'forever' ? 'perm' : Math.round(saved.bannedUntil)}:${saved.bannedBy ?? ''}`;
    const reply = await this.#redis.script(
      'hamdamRestore',
      chatId,
      p.lang,
      p.gender,
      p.age,
      p.wants,
      p.ageMin,
      p.ageMax,
      p.sameLanguage ? 's' : 'a',
      p.protect ? '1' : '',
      ban,
      ...saved.apart,
    );
    return reply === 1;
  }

  async erase(request: UserStep & { readonly queryId: string }): Promise<EraseResult> {
    const [kind, partner, dropped] = await this.#redis.step(
      'hamdamErase',
      request.chatId,
      request.stamp,
      request.queryId,
    );
    const common = commonResult(kind);
    if (common) return common;
    if (kind === 'erased') {
      return { kind, endedPartner: optionalNumber(partner), dropped: Number(dropped ?? 0) };
    }
    throw unexpected('erase', kind);
  }

  async askAge(request: UserStep & { readonly queryId: string }): Promise<AskAgeResult> {
    const [kind] = await this.#redis.step(
      'hamdamAskAge',
      request.chatId,
      request.stamp,
      request.queryId,
    );
    if (
      kind === 'asked' ||
      kind === 'refused' ||
      kind === 'duplicate' ||
      kind === 'banned' ||
      kind === 'flooded'
    ) {
      return kind;
    }
    throw unexpected('askAge', kind);
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
