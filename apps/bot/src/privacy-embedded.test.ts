import { privacySuite } from './privacy.suite.js';

// With the embedded stores: the in-memory engine running the same Lua, and PGlite.
privacySuite('embedded stores', false);
