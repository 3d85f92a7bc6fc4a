import { replyRef, settingsView, type UserCommand } from '@hamdam/domain';
import type { FindResult, StopResult } from '@hamdam/store';
import type { HandlerDeps, Step } from './deps.js';
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

  const commands: Record<UserCommand, (step: Step, args: string) => Promise<void>> = {
    async start(step) {
      await deps.recall(step.chatId);
      common((await state.pairing.start(step)).kind);
    },
    find: (step) => find(step, false),
    search: (step) => find(step, false),
    next: (step) => find(step, true),
    stop: stop,
    cancel: stop,
    async help(step) {
      const help = replyRef('help', { kb: 'auto' });
      // In a private chat the chat id is the user's id: admins also read their commands.
      const admin = deps.adminIds.has(step.chatId);
      common(
        await state.outbox.say({ ...step, payload: admin ? [help, replyRef('helpAdmin')] : help }),
      );
    },
    async settings(step) {
      await deps.recall(step.chatId);
      const view = await state.profiles.view(step.chatId);
      // Not onboarded yet: onboarding is the way to the settings.
      if (!view.profile) return commands.start(step, '');
      common(
        await state.outbox.say({
          ...step,
          payload: { method: 'sendMessage', params: settingsView(view.profile) },
        }),
      );
    },
    async report(step) {
      const r = await state.moderation.report(step);
      common(r.kind);
      if (r.kind === 'asked' && r.dropped > 0)
        metrics.dropped.inc({ reason: 'chat_ended' }, r.dropped);
    },
    async delete(step) {
      // Nothing is erased before the user confirms with the button.
      common(await state.outbox.say({ ...step, payload: replyRef('eraseAsk') }));
    },
    async block(step) {
      const r = await state.moderation.block(step);
      common(r.kind);
      if (r.kind === 'blocked' && r.dropped > 0)
        metrics.dropped.inc({ reason: 'chat_ended' }, r.dropped);
    },
  };

  async function find(step: Step, next: boolean): Promise<void> {
    await deps.recall(step.chatId);
    counted(await state.pairing.find({ ...step, next }));
  }

  async function stop(step: Step): Promise<void> {
    counted(await state.pairing.stop(step));
  }

  async function relay(step: Step, messageId: number, fields: RelayFields): Promise<void> {
    const r = await state.pairing.relay({ ...step, messageId, ...fields });
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
