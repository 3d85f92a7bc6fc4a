import { relaySuite } from './relay.suite.js';

// With the embedded stores: the in-memory engine running the same Lua, and PGlite.
relaySuite('embedded stores', false);
