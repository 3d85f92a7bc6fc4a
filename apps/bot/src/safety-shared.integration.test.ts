import { safetySuite } from './safety.suite.js';

// With the real Redis and a scratch Postgres database.
safetySuite('Redis and Postgres', true);
