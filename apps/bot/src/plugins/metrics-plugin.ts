import fp from 'fastify-plugin';
import { Metrics } from '../metrics.js';
import { PLUGINS } from './decorations.js';

/** Every metric of the worker, in one registry. */
export const metricsPlugin = fp<{ restartsBefore?: number }>(
  async (app, { restartsBefore = 0 }) => {
    // The supervisor's restarts of this slot so far, so the counter survives the restart.
    app.decorate('metrics', new Metrics({ restartsBefore }));
  },
  { name: PLUGINS.metrics },
);
