import type { ChatItem } from './control.js';
import { mediaGroupOf } from './message-view.js';

/** One bubble's worth of messages: a single message, or an album's consecutive ones. */
export interface Block {
  /** Changes whenever the bubble must be drawn anew (an edit, a deletion, the developer view). */
  readonly key: string;
  readonly items: readonly ChatItem[];
}

/** Groups a chat's messages, in order, into the bubbles Telegram would show. */
export function toBlocks(sorted: readonly ChatItem[], developer: boolean): Block[] {
  const groups: ChatItem[][] = [];
  for (const item of sorted) {
    const group = mediaGroupOf(item.message);
    const last = groups.at(-1);
    const previous = last?.at(-1);
    if (
      group !== undefined &&
      last !== undefined &&
      previous !== undefined &&
      previous.fromBot === item.fromBot &&
      mediaGroupOf(previous.message) === group
    )
      last.push(item);
    else groups.push([item]);
  }
  return groups.map((items) => ({ key: blockKey(items, developer), items }));
}

export function nearBottom(log: HTMLElement): boolean {
  return log.scrollHeight - log.scrollTop - log.clientHeight < 48;
}

function blockKey(items: readonly ChatItem[], developer: boolean): string {
  return (
    (developer ? 'd' : 'p') +
    items
      .map((item) => {
        return `${item.message.message_id}.${item.revision ?? 0}.${item.deleted ? 1 : 0}`;
      })
      .join('|')
  );
}
