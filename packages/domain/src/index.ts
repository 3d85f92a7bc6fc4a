// Pure rules of hamdam: no I/O, no dependencies.

// Profiles and matchmaking
export { GENDERS, WANTS, DEFAULT_PROFILE, isGender, isWants } from './profile.js';
export type { Gender, Wants, Profile } from './profile.js';
export { bucketOf, compatibleBuckets, accepts } from './buckets.js';

// Updates and what the bot sends
export { UPDATE_QUEUES } from './queues.js';
export type { UpdateQueue, Stamp } from './queues.js';
export { OUTGOING_METHODS, CHATLESS_METHODS, isOutgoing } from './outgoing.js';
export type { Outgoing, OutgoingMethod } from './outgoing.js';

// Settings
export { SETTINGS_CALLBACKS, parseSettingsCallback, settingsView } from './settings.js';
export type { ProfilePatch } from './settings.js';

// Wording
export { REPLIES, replyRef, parseReplyRef, renderReply } from './replies.js';
export type { ReplyName, ReplyRef } from './replies.js';
export { BUTTONS, TEXTS } from './texts.js';
export { MAIN_KEYBOARD, SEARCHING_KEYBOARD, CHAT_KEYBOARD } from './keyboards.js';
