import { sendingSuite, sliceSuite } from './slice.suite.js';

sliceSuite('Redis and Postgres', true);
sendingSuite('Redis and Postgres', true);
