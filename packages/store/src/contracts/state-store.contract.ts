import { journalContract } from './journal.contract.js';
import type { StoreFactory } from './kit.js';
import { outboxContract } from './outbox.contract.js';
import { pairingContract } from './pairing.contract.js';

export type { StoreFactory } from './kit.js';

/**
 * One behaviour on every engine: these suites run against the embedded engine, the real Redis
 * and a three-master Redis Cluster. A difference between them is a bug.
 */
export function stateStoreContract(name: string, factory: StoreFactory): void {
  pairingContract(name, factory);
  outboxContract(name, factory);
  journalContract(name, factory);
}
