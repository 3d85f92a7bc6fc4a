import { safetySuite } from './safety.suite.js';

// With the embedded stores: the in-memory engine running the same Lua, and PGlite.
safetySuite('embedded stores', false);
