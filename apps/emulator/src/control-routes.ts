import type { FastifyInstance } from 'fastify';
import { ControlError } from './api-error.js';
import { canonicalMethod } from './bot-api-routes.js';
import { toChatLogEntry } from './chat-log.js';
import {
  readBatch,
  readBlocked,
  readCallbackInput,
  readFault,
  readLatency,
  readNewUser,
  readUserPatch,
} from './control-input.js';
import { readAlbumInput, readEditInput, readMessageInput } from './control-message-input.js';
import type { EmulatorState } from './emulator-state.js';
import { toInteger } from './params.js';
import {
  checkCallback,
  deleteUser,
  pressInlineButton,
  publishUser,
  setBlocked,
  updateUser,
  type InjectedUpdate,
} from './user-actions.js';
import type { UserRecord } from './user-directory.js';
import {
  checkUserEdit,
  checkUserMessage,
  editUserMessage,
  sendAlbum,
  sendUserMessage,
} from './user-messages.js';

type UserRoute = { Params: { id: string } };

/** The JSON control API under /control used by tests, the load test and the playground. */
export function registerControlApi(app: FastifyInstance, state: EmulatorState): void {
  const userOf = (id: string): UserRecord => {
    const record = state.users.get(toInteger(id) ?? Number.NaN);
    if (record === undefined) throw new ControlError(404, `user ${id} not found`);
    return record;
  };

  app.post('/control/users', (request) => {
    const input = readNewUser(request.body);
    if (input.id !== undefined && state.users.has(input.id))
      throw new ControlError(409, `user ${input.id} already exists`);
    const record = state.users.create(input);
    publishUser(state, record);
    return record.user;
  });

  app.get('/control/users', () => state.users.list());

  app.get<UserRoute>('/control/users/:id', (request) => {
    const record = userOf(request.params.id);
    return { user: record.user, blocked: record.blocked };
  });

  app.patch<UserRoute>('/control/users/:id', (request) => {
    const record = userOf(request.params.id);
    updateUser(state, record, readUserPatch(request.body));
    return { user: record.user, blocked: record.blocked };
  });

  app.delete<UserRoute>('/control/users/:id', (request) => {
    const record = userOf(request.params.id);
    deleteUser(state, record);
    return { user_id: record.user.id, deleted: true };
  });

  app.post<UserRoute>('/control/users/:id/messages', (request) =>
    sendUserMessage(state, userOf(request.params.id), readMessageInput(request.body)),
  );

  app.post<UserRoute>('/control/users/:id/edits', (request) =>
    editUserMessage(state, userOf(request.params.id), readEditInput(request.body)),
  );

  app.post<UserRoute>('/control/users/:id/albums', (request) =>
    sendAlbum(state, userOf(request.params.id), readAlbumInput(request.body)),
  );

  app.get<UserRoute>('/control/users/:id/commands', (request) => {
    const { user } = userOf(request.params.id);
    const language = user.language_code?.slice(0, 2);
    return { commands: state.commands.forChat(user.id, language) };
  });

  app.post<UserRoute>('/control/users/:id/callbacks', (request) =>
    pressInlineButton(state, userOf(request.params.id), readCallbackInput(request.body)),
  );

  app.post<UserRoute>('/control/users/:id/block', (request) =>
    setBlocked(state, userOf(request.params.id), readBlocked(request.body)),
  );

  app.get<UserRoute & { Querystring: { after?: string } }>('/control/users/:id/chat', (request) => {
    const record = userOf(request.params.id);
    const after = request.query.after === undefined ? 0 : toInteger(request.query.after);
    if (after === undefined || after < 0)
      throw new ControlError(400, 'after must be a non-negative integer');
    return { messages: record.log.after(after).map(toChatLogEntry) };
  });

  app.post('/control/updates', (request) => {
    const items = readBatch(request.body);
    // Check everything first so a bad item rejects the whole batch and nothing is half-injected.
    const records = items.map((item, index) => {
      const record = state.users.get(item.userId);
      if (record === undefined)
        throw new ControlError(404, `updates[${index}]: user ${item.userId} not found`);
      try {
        if (item.kind === 'message') checkUserMessage(state, record, item.input);
        else if (item.kind === 'edit') checkUserEdit(record, item.input);
        else checkCallback(record, item.input);
      } catch (error) {
        if (error instanceof ControlError)
          throw new ControlError(error.statusCode, `updates[${index}]: ${error.message}`);
        throw error;
      }
      return record;
    });
    const results = items.map((item, index): InjectedUpdate => {
      const record = records[index] as UserRecord;
      if (item.kind === 'message') return sendUserMessage(state, record, item.input);
      if (item.kind === 'edit') return editUserMessage(state, record, item.input);
      return pressInlineButton(state, record, item.input);
    });
    return { results };
  });

  app.get('/control/stream', (request, reply) => {
    reply.hijack();
    state.hub.attach(reply.raw);
  });

  app.post('/control/faults', (request) => {
    const fault = readFault(request.body, canonicalMethod);
    state.faults.add(fault);
    return { fault, active: state.faults.active };
  });

  app.delete('/control/faults', () => {
    state.faults.clear();
    return { active: 0 };
  });

  app.post('/control/latency', (request) => {
    const { ms, after } = readLatency(request.body);
    state.latencyMs = ms;
    state.latencyAfter = after;
    return { ms, after };
  });

  app.get('/control/stats', () => state.statsSnapshot());

  app.post('/control/reset', () => {
    state.reset();
    return { ok: true };
  });
}
