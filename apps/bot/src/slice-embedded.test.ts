import { sliceSuite } from './slice.suite.js';

sliceSuite('embedded stores (in-process state, PGlite)', false);
