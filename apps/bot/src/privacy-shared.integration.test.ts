import { privacySuite } from './privacy.suite.js';

// With the real Redis and a scratch Postgres database.
privacySuite('Redis and Postgres', true);
