import { adminSuite } from './admin.suite.js';

// With the embedded stores: the in-memory engine running the same Lua, and PGlite.
adminSuite('embedded stores', false);
