import { replyRef, settingsView, type UserCommand } from '@hamdam/domain';
import type { FindResult, StopResult } from '@hamdam/store';
import type { HandlerDeps, UpdateActor } from './deps.js';
import type { RelayFields } from './incoming.js';

/** The user's commands and messages, each one atomic step in the state store. */
export function chatHandlers(deps: HandlerDeps) {
  const { state, metrics } = deps;

  const counted = (result: FindResult | StopResult): void => {
    common(result.kind);
    if (result.kind === 'matched') {
      metrics.matches.inc();
      metrics.matchWait.observe(result.waitedMs / 1000);
    }
    const dropped = 'dropped' in result ? result.dropped : 0;
    if (dropped > 0) metrics.dropped.inc({ reason: 'chat_ended' }, dropped);
  };

  // What every step may answer instead of doing its work.
  const common = (kind: string): void => {
    if (kind === 'duplicate') metrics.duplicates.inc();
    if (kind === 'flooded') metrics.floodDropped.inc();
  };

  const commands: Record<UserCommand, (actor: UpdateActor, args: string) => Promise<void>> = {
    async start(actor) {
      await deps.recall(actor.chatId);
      common((await state.pairing.start(actor)).kind);
    },
    find: (actor) => find(actor, false),
    search: (actor) => find(actor, false),
    next: (actor) => find(actor, true),
    stop: stop,
    cancel: stop,
    async help(actor) {
      const help = replyRef('help', { kb: 'auto' });
      // In a private chat the chat id is the user's id: admins also read their commands.
      const admin = deps.adminIds.has(actor.chatId);
      common(
        await state.outbox.say({ ...actor, payload: admin ? [help, replyRef('helpAdmin')] : help }),
      );
    },
    async settings(actor) {
      await deps.recall(actor.chatId);
      const view = await state.profiles.view(actor.chatId);
      // Not onboarded yet: onboarding is the way to the settings.
      if (!view.profile) return commands.start(actor, '');
      common(
        await state.outbox.say({
          ...actor,
          payload: { method: 'sendMessage', params: settingsView(view.profile) },
        }),
      );
    },
    async report(actor) {
      const r = await state.moderation.report(actor);
      common(r.kind);
      if (r.kind === 'asked' && r.dropped > 0)
        metrics.dropped.inc({ reason: 'chat_ended' }, r.dropped);
    },
    async delete(actor) {
      // Nothing is erased before the user confirms with the button.
      common(await state.outbox.say({ ...actor, payload: replyRef('eraseAsk') }));
    },
    async block(actor) {
      const r = await state.moderation.block(actor);
      common(r.kind);
      if (r.kind === 'blocked' && r.dropped > 0)
        metrics.dropped.inc({ reason: 'chat_ended' }, r.dropped);
    },
  };

  async function find(actor: UpdateActor, next: boolean): Promise<void> {
    await deps.recall(actor.chatId);
    counted(await state.pairing.find({ ...actor, next }));
  }

  async function stop(actor: UpdateActor): Promise<void> {
    counted(await state.pairing.stop(actor));
  }

  async function relay(actor: UpdateActor, messageId: number, fields: RelayFields): Promise<void> {
    const r = await state.pairing.relay({ ...actor, messageId, ...fields });
    common(r.kind);
    switch (r.kind) {
      case 'relayed':
        metrics.relayed.inc();
        break;
      case 'capped':
        metrics.dropped.inc({ reason: 'cap' });
        break;
      case 'profile':
        if (r.outcome === 'matched') metrics.matches.inc();
        break;
      default:
        break;
    }
  }

  return { commands, relay };
}
