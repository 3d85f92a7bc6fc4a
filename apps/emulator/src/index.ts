export { createEmulator, type Emulator } from './emulator.js';
export type { EmulatorOptions } from './emulator-options.js';
export type { ChatLogEntry, CopiedFrom, MessageSummary } from './chat-log.js';
export type { FaultSpec } from './fault-injector.js';
export type { EmulatorStats } from './stats.js';
export type { ChatMessage, ContentKind } from './message-builder.js';
