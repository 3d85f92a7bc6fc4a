import fp from 'fastify-plugin';
import { Metrics } from '../metrics.js';
import { PLUGINS } from './decorations.js';

/** Every metric of the worker, in one registry. */
export const metricsPlugin = fp(
  async (app) => {
    app.decorate('metrics', new Metrics());
  },
  { name: PLUGINS.metrics },
);
