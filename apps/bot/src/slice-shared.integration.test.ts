import { sliceSuite } from './slice.suite.js';

sliceSuite('Redis and Postgres', true);
