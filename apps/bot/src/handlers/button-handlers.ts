import { parseCallback, replyRef, settingsView } from '@hamdam/domain';
import type { HandlerDeps, UpdateActor } from './deps.js';

export interface ButtonPress {
  readonly queryId: string;
  readonly data: string;
  /** The message the button is on, when Telegram says (it may be too old to say). */
  readonly messageId: number | null;
}

/**
 * Inline buttons: onboarding's answers, Settings' changes, report reasons and /delete's
 * confirmation. Each is one step
 * that also answers the press; data the bot never sent is answered "no longer valid".
 */
export function buttonHandler(deps: HandlerDeps) {
  const { state, metrics } = deps;

  return async function press(actor: UpdateActor, button: ButtonPress): Promise<void> {
    const callback = parseCallback(button.data);
    if (!callback) {
      const r = await state.outbox.say({
        ...actor,
        payload: replyRef('unknownButton', { q: button.queryId }),
      });
      if (r === 'flooded') metrics.floodDropped.inc();
      return;
    }
    switch (callback.kind) {
      case 'ask-age': {
        const r = await state.profiles.askAge({ ...actor, queryId: button.queryId });
        if (r === 'flooded') metrics.floodDropped.inc();
        return;
      }
      case 'erase': {
        const r = await state.profiles.erase({ ...actor, queryId: button.queryId });
        if (r.kind === 'flooded') metrics.floodDropped.inc();
        if (r.kind === 'erased' && r.dropped > 0)
          metrics.dropped.inc({ reason: 'chat_ended' }, r.dropped);
        if (r.kind === 'erased' && button.messageId !== null) {
          await removeButtons(actor.chatId, button.messageId);
        }
        return;
      }
      case 'report': {
        const r = await state.moderation.reportReason({
          ...actor,
          reason: callback.reason,
          chat: callback.chat,
          queryId: button.queryId,
        });
        if (r.kind === 'reported') {
          metrics.reports.inc();
          if (r.reportedBanned) metrics.bans.inc({ by: 'reports' });
        }
        if (r.kind === 'flooded') metrics.floodDropped.inc();
        if (!stopped(r.kind) && button.messageId !== null) {
          await removeButtons(actor.chatId, button.messageId);
        }
        return;
      }
      case 'profile': {
        const r = await state.profiles.change({
          ...actor,
          change: callback.change,
          onboarding: callback.onboarding,
          queryId: button.queryId,
          messageId: button.messageId,
        });
        if (r.kind === 'flooded') metrics.floodDropped.inc();
        if (stopped(r.kind) || button.messageId === null) return;
        if (r.kind === 'matched') metrics.matches.inc();
        if (callback.onboarding) {
          // An answered question keeps no buttons to press twice: the next question replaces
          // it (the store edits it in place); when none follows, its buttons go.
          if (r.kind !== 'asked') await removeButtons(actor.chatId, button.messageId);
          return;
        }
        // The settings message shows the profile as it is now.
        const view = await state.profiles.view(actor.chatId);
        if (!view.profile) return;
        await state.outbox.say({
          chatId: actor.chatId,
          stamp: null,
          payload: {
            method: 'editMessageText',
            params: { message_id: button.messageId, ...settingsView(view.profile) },
          },
        });
        return;
      }
    }
  };

  async function removeButtons(chatId: number, messageId: number): Promise<void> {
    await state.outbox.say({
      chatId,
      stamp: null,
      payload: {
        method: 'editMessageReplyMarkup',
        params: { message_id: messageId, reply_markup: { inline_keyboard: [] } },
      },
    });
  }
}

/** A press the store did not act on: already seen, from a banned user, or over the flood budget. */
function stopped(kind: string): boolean {
  return kind === 'duplicate' || kind === 'banned' || kind === 'flooded';
}
