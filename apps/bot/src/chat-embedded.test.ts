import { chatSuite } from './chat.suite.js';

// With the embedded stores: the in-memory engine running the same Lua, and PGlite.
chatSuite('embedded stores', false);
