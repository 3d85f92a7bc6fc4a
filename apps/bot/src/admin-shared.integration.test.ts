import { adminSuite } from './admin.suite.js';

// With the real Redis and a scratch Postgres database.
adminSuite('Redis and Postgres', true);
