import { chatSuite } from './chat.suite.js';

// With the real Redis and a scratch Postgres database.
chatSuite('Redis and Postgres', true);
