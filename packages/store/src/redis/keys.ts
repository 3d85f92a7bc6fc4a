/**
 * Every Redis key of hamdam, under a prefix carrying one hash tag (`hamdam:{h}:`), so all keys
 * hash to one slot and every script runs on Redis Cluster unchanged. The Lua scripts build the
 * same names from these constants.
 *
 *   u:<chat>       hash: state (idle|queued|chatting), partner, chat, since, sent, uid, bucket,
 *                  cands, qbucket
 *   q:<bucket>     zset of waiting chats, scored by arrival order (qseq)
 *   recent:<chat>  zset of recent partners, scored by match time
 *   hw:<q>:<chat>  highest update id taken from that Telegram queue (de-duplication)
 *   ob:<chat>      list of outbox entries "<id> <payload>" owed to the chat
 *   ready          zset of chats with entries, scored by when they may be sent (lease, pacing,
 *                  retry_after)
 *   pace:<chat>    hash: token bucket of per-chat pacing
 *   budget         hash: token bucket of the global send budget
 *   journal        stream of records for Postgres (finished chats), read by a consumer group
 */
export const KEY = {
  user: 'u:',
  queue: 'q:',
  recent: 'recent:',
  highWater: 'hw:',
  outbox: 'ob:',
  ready: 'ready',
  pace: 'pace:',
  budget: 'budget',
  entrySeq: 'seq',
  chatSeq: 'chatseq',
  queueSeq: 'qseq',
  journal: 'journal',
} as const;

/** The consumer group of the journal's flushers. */
export const JOURNAL_GROUP = 'flushers';

/** A prefix must carry exactly one hash tag, or a script's keys could span slots. */
export const PREFIX_PATTERN = /^[^{}]*\{[^{}]+\}[^{}]*$/;
