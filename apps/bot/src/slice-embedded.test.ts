import { sendingSuite, sliceSuite } from './slice.suite.js';

sliceSuite('embedded stores (in-process state, PGlite)', false);
sendingSuite('embedded stores', false);
