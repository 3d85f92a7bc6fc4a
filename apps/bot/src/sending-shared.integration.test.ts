import { sendingSuite } from './sending.suite.js';

// With the real Redis and a scratch Postgres database.
sendingSuite('Redis and Postgres', true);
