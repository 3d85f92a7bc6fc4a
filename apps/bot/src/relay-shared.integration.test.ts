import { relaySuite } from './relay.suite.js';

// With the real Redis and a scratch Postgres database.
relaySuite('Redis and Postgres', true);
