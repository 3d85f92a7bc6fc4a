import { sendingSuite } from './sending.suite.js';

// With the embedded stores: the in-memory engine running the same Lua, and PGlite.
sendingSuite('embedded stores', false);
