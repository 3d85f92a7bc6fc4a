import { parseDuration, replyRef, type AdminCommand } from '@hamdam/domain';
import type { Payload } from '@hamdam/store';
import type { Message } from '@hamdam/telegram';
import type { HandlerDeps, UpdateActor } from './deps.js';

/** What an admin may do. Only ADMIN_IDS reach these; for anyone else they are plain text. */
export function adminHandlers(deps: HandlerDeps) {
  const { state, metrics, broadcaster } = deps;
  const tell = (actor: UpdateActor, payload: Payload | readonly Payload[]) =>
    state.outbox.say({ ...actor, payload });
  const target = (args: string): { id: number; rest: string } | null => {
    const m = /^(\d{1,20})(?:\s+(.*))?$/.exec(args);
    const id = m ? Number(m[1]) : NaN;
    return m && Number.isSafeInteger(id) && id > 0 ? { id, rest: m[2]?.trim() ?? '' } : null;
  };

  const handlers: Record<
    AdminCommand,
    (actor: UpdateActor, args: string, message: Message) => Promise<void>
  > = {
    async stats(actor) {
      const s = await state.upkeep.stats(5 * 60_000);
      const queued = Object.values(s.waiting).reduce((a, b) => a + b, 0);
      await tell(
        actor,
        replyRef('stats', {
          online: s.online,
          chatting: s.chatting,
          queued,
          matches: Math.round(s.perMinute.matches),
          messages: Math.round(s.perMinute.messages),
        }),
      );
    },
    async ban(actor, args) {
      const t = target(args);
      const duration = t && t.rest !== '' ? parseDuration(t.rest) : null;
      if (!t || (t.rest !== '' && duration === null)) return void (await tell(actor, usage()));
      const until = duration === null ? null : Date.now() + duration;
      await state.moderation.ban(t.id, until, actor.chatId);
      metrics.bans.inc({ by: 'admin' });
      await tell(
        actor,
        until === null
          ? replyRef('adminBannedForever', { id: t.id })
          : replyRef('adminBannedUntil', { id: t.id, until }),
      );
    },
    async unban(actor, args) {
      const t = target(args);
      if (!t || t.rest !== '') return void (await tell(actor, usage()));
      await state.moderation.unban(t.id, actor.chatId);
      await tell(actor, replyRef('adminUnbanned', { id: t.id }));
    },
    async broadcast(actor, args, message) {
      if (args === 'cancel') return broadcaster.cancel(actor);
      const replied = (message as { reply_to_message?: { message_id: number } }).reply_to_message;
      const call = replied
        ? {
            method: 'copyMessage' as const,
            params: { from_chat_id: actor.chatId, message_id: replied.message_id },
          }
        : args !== ''
          ? { method: 'sendMessage' as const, params: { text: args } }
          : null;
      if (!call) return void (await tell(actor, replyRef('broadcastEmpty')));
      await broadcaster.start(actor, call);
    },
  };
  return handlers;
}

const usage = () => [replyRef('adminUsage'), replyRef('helpAdmin')];
