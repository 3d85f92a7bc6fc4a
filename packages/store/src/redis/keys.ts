/**
 * Every Redis key of hamdam, under a prefix carrying one hash tag (`hamdam:{h}:`), so all keys
 * hash to one slot and every function of the Lua library runs on Redis Cluster unchanged. The
 * library reads these names as `K` (the header library.ts generates), so each is written once.
 *
 *   u:<chat>       hash: the user. state (idle|queued|chatting); partner, chat, since, sent0
 *                  (their messages sent in all when the chat began; sent: in a chat begun
 *                  before version 3, the messages sent in it);
 *                  profile: lang, langok, gender, age, wants, amin, amax, xl (s|a), prot;
 *                  ask (age: the next text is an age), pend (find after onboarding);
 *                  what the gate of their updates keeps (flood.lua), written once a call: per
 *                  Telegram queue (m, c, k) "<update id>:<ms>", the highest update id taken
 *                  from it and when the user's time among those online last moved; fl
 *                  "=full:told:capt:parts:group", the flood-control token bucket over every
 *                  update (told: slow down; capt: partner behind; the album last charged); ix,
 *                  when this user last moved their chat's idle timer; n, how many messages
 *                  they have sent in all;
 *                  queue place: qb, qs, qsince, wd (filters widened); the last chat: lastp
 *                  (partner), lastpat (when it ended), lastc (its number); the chat a report
 *                  question is about: rpc (number), rpp (partner), rpat (when it ended);
 *                  erased (when the user erased their record with /delete)
 *   q:<bucket>     zset of waiting chats, scored by arrival order (qseq); a bucket is
 *                  gender:wants:lang:filter:band:range (see lua/queues.ts)
 *   qr:<bucket>    set of the range parts of the non-empty q:<bucket>:<range> queues
 *   qb             set of the buckets (without range parts) whose qr: set is not empty, so a
 *                  Find asks of all its candidates at once which wait; its member '' marks it
 *                  built (it is built from the qr: sets once, by the first Find after an upgrade)
 *   recent:<chat>  zset of recent partners, scored by match time
 *   blk:<chat>     set of chats this one never meets (blocks and reports, both directions)
 *   ban:<chat>     "<end>:<reason>": "perm" or the epoch ms a ban ends (expiring then), and
 *                  who banned (admin or reports)
 *   bantold:<chat> the epoch ms a banned user was last told (kept an hour)
 *   rep:<chat>     zset of who reported this chat, scored by when
 *   g:<chat>       hash: the gate's fields before version 6, moved into u:<chat> by the user's
 *                  first update since
 *   obn:<chat>     list of the bot's own notices owed to the chat: sent first
 *   obc:<chat>     list of relayed copies owed to the chat: dropped when its chat ends
 *   ready          zset of chats with entries, scored by when they may be sent (lease, pacing,
 *                  retry_after, an album still gathering)
 *   pace:<chat>    per-chat pacing: the epoch ms its token bucket is full again (a whole number)
 *   budget         hash: token bucket of the global send budget
 *   mm:<a>:<b>     hash, one per pair of chats (a < b): "<chat>:<message id>" -> "<other chat>:<id>"
 *                  of its copy, both ways; deleted when their chat ends
 *   rw:<chat>      "<entry id>:<deadline>": the chat's head, a reply, waits until then at most
 *                  for the partner's copy it may answer to be settled (expiring)
 *   timers         zset of "<kind>:<chat>" scored by when due: ix (idle chat), qx (queue
 *                  expiry), rm (a skipped recent partner ages out), wd (widen filters)
 *   act            zset of chats scored by their last update (who is online)
 *   st             hash of counters: matches, messages, dropped_end, dropped_unsure,
 *                  dropped_cap, dropped_notice, flood, reports, bans, chatting, owed
 *   journal        stream of records for Postgres, read by a consumer group
 *   lease          the periodic-work lease: "<owner>" with a TTL
 *   bc             hash: the broadcast under way (or the last): its number (id), state
 *                  (running|done|cancelled), cursor and counts; its outbox entries carry the id
 */
export const KEY = {
  user: 'u:',
  queue: 'q:',
  queueRanges: 'qr:',
  queueBases: 'qb',
  recent: 'recent:',
  blocks: 'blk:',
  ban: 'ban:',
  banTold: 'bantold:',
  reports: 'rep:',
  gate: 'g:',
  notices: 'obn:',
  copies: 'obc:',
  ready: 'ready',
  pace: 'pace:',
  budget: 'budget',
  messageMap: 'mm:',
  replyWait: 'rw:',
  timers: 'timers',
  active: 'act',
  stats: 'st',
  entrySeq: 'seq',
  chatSeq: 'chatseq',
  queueSeq: 'qseq',
  journal: 'journal',
  lease: 'lease',
  broadcast: 'bc',
} as const;

/** The consumer group of the journal's flushers. */
export const JOURNAL_GROUP = 'flushers';

/** A prefix must carry exactly one hash tag, or a function's keys could span slots. */
export const PREFIX_PATTERN = /^[^{}]*\{[^{}]+\}[^{}]*$/;
