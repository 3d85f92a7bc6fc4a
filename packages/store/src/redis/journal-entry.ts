import type { JournalEntry } from '../journal.js';

/** One stream entry (its id and flat field list) as a record. */
export function toEntry(id: string, fields: readonly string[]): JournalEntry {
  const f = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) f.set(fields[i]!, fields[i + 1]!);
  const num = (name: string): number => Number(f.get(name) ?? 0);
  const opt = (name: string): number | null => {
    const v = f.get(name);
    return v === undefined || v === '' ? null : Number(v);
  };
  const str = (name: string): string | null => {
    const v = f.get(name);
    return v === undefined || v === '' ? null : v;
  };
  const at = num('at');
  switch (f.get('kind')) {
    case 'chat-ended':
      return {
        id,
        at,
        kind: 'chat-ended',
        key: f.get('key') ?? id,
        a: num('a'),
        b: num('b'),
        startedAt: num('since'),
        reason: f.get('reason') ?? 'unknown',
        messagesA: num('sa'),
        messagesB: num('sb'),
      };
    case 'profile':
      return {
        id,
        at,
        kind: 'profile',
        chat: num('chat'),
        lang: str('lang'),
        gender: str('gender'),
        age: opt('age'),
        wants: str('wants'),
        ageMin: opt('amin'),
        ageMax: opt('amax'),
        sameLanguage: f.get('xl') === 's',
        protect: f.get('prot') === '1',
      };
    case 'report':
      return {
        id,
        at,
        kind: 'report',
        reporter: num('reporter'),
        reported: num('reported'),
        reason: f.get('reason') ?? 'other',
      };
    case 'block':
      return { id, at, kind: 'block', blocker: num('blocker'), blocked: num('blocked') };
    case 'ban':
    case 'unban':
      return {
        id,
        at,
        kind: f.get('kind') as 'ban' | 'unban',
        chat: num('chat'),
        until: opt('until'),
        reason: f.get('reason') ?? 'admin',
        by: opt('by'),
      };
    case 'bot-blocked':
      return { id, at, kind: 'bot-blocked', chat: num('chat') };
    case 'started':
      return { id, at, kind: 'started', chat: num('chat') };
    case 'erase':
      return { id, at, kind: 'erase', chat: num('chat') };
    default:
      return { id, kind: 'unknown' };
  }
}
