import { chatStoreContract } from './chat-store.contract.js';
import { MemoryChatStore } from './memory-chat-store.js';

chatStoreContract('in-process', (limits) =>
  Promise.resolve(new MemoryChatStore({ limits: limits ?? {} })),
);
