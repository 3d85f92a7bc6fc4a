import type { Language, Stamp } from '@hamdam/domain';
import type { StateStore } from '@hamdam/store';
import type { Broadcaster } from '../broadcaster.js';
import type { Metrics } from '../metrics.js';
import type { Recall } from '../recall.js';

/** What the handlers work with: the state store, and the few facts of this deployment. */
export interface HandlerDeps {
  readonly state: StateStore;
  readonly metrics: Metrics;
  readonly adminIds: ReadonlySet<number>;
  readonly botUsername: string;
  readonly broadcaster: Broadcaster;
  /** Rebuilds a user Redis lost from Postgres, before /start or Find. */
  readonly recall: Recall;
}

/** One update as the handlers see it: who, which Telegram queue and id, which language to offer. */
export interface UpdateActor {
  readonly chatId: number;
  readonly stamp: Stamp;
  readonly langHint: Language;
}
