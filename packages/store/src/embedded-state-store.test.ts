import { stateStoreContract } from './contracts/state-store.contract.js';
import { openEmbeddedStateStore } from './open-state-store.js';

stateStoreContract('embedded engine', async (limits) =>
  openEmbeddedStateStore({ limits: limits ?? {} }),
);
