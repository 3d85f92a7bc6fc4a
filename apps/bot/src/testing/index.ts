// Test and load-test support: the production topology on loopback.
export { startTopology, waitUntil, freePortRange, EMULATED_TOKEN } from './topology.js';
export type { Topology, TopologyOptions } from './topology.js';
export { scratchDatabase, dropRedisPrefix, TEST_REDIS_URL, TEST_DATABASE_URL } from './stack.js';
