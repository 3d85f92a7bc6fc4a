import { journalContract } from './journal.contract.js';
import type { StoreFactory } from './kit.js';
import { chatEndContract } from './chat-end.contract.js';
import { matchingContract } from './matching.contract.js';
import { matchingInvariantContract } from './matching-invariant.contract.js';
import { moderationContract } from './moderation.contract.js';
import { leaseContract, outboxContract } from './outbox.contract.js';
import { pairingContract } from './pairing.contract.js';
import { profilesContract, restoreContract } from './profiles.contract.js';
import { broadcastContract, upkeepContract } from './upkeep.contract.js';

export type { StoreFactory } from './kit.js';

/**
 * One behaviour on every engine: these suites run against the embedded engine, the real Redis
 * and a three-master Redis Cluster. A difference between them is a bug.
 */
export function stateStoreContract(name: string, factory: StoreFactory): void {
  pairingContract(name, factory);
  chatEndContract(name, factory);
  matchingContract(name, factory);
  matchingInvariantContract(name, factory);
  profilesContract(name, factory);
  restoreContract(name, factory);
  moderationContract(name, factory);
  outboxContract(name, factory);
  leaseContract(name, factory);
  upkeepContract(name, factory);
  broadcastContract(name, factory);
  journalContract(name, factory);
}
