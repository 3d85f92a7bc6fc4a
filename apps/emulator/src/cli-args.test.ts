import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliUsageError, parseCliArgs } from './cli-args.js';

describe('parseCliArgs', () => {
  it('parses flags and applies defaults', () => {
    assert.deepEqual(parseCliArgs(['--token', '123:ABC']), {
      port: 8081,
      host: '127.0.0.1',
      token: '123:ABC',
      help: false,
    });
    assert.deepEqual(parseCliArgs(['--port=0', '--host', 'localhost', '--token=t']), {
      port: 0,
      host: 'localhost',
      token: 't',
      help: false,
    });
    assert.equal(parseCliArgs(['--host', '::1', '--token', 't']).host, '::1');
    assert.equal(parseCliArgs(['--token', 't', '--bot-name', 'Test Bot']).botName, 'Test Bot');
    assert.equal(parseCliArgs(['--help']).help, true);
    assert.deepEqual(
      parseCliArgs([
        '--token=t',
        '--retry-base-ms',
        '50',
        '--retry-max-ms=1000',
        '--chat-log-max-age-ms',
        '60000',
      ]),
      {
        port: 8081,
        host: '127.0.0.1',
        token: 't',
        help: false,
        retryBaseMs: 50,
        retryMaxMs: 1000,
        chatLogMaxAgeMs: 60000,
      },
    );
  });

  it('rejects invalid flags with a usage error', () => {
    for (const argv of [
      [],
      ['--token', 'a b'],
      ['--token', 't', '--port', '65536'],
      ['--token', 't', '--port', '-1'],
      ['--token', 't', '--port', '80x'],
      ['--token', 't', '--host', 'bad host!'],
      ['--token', 't', '--verbose'],
      ['--token', 't', 'extra'],
      ['--token', 't', '--chat-log-max-age-ms', '0'],
      ['--token', 't', '--retry-base-ms', '1.5'],
      ['--token', 't', '--retry-max-ms', ''],
    ]) {
      assert.throws(() => parseCliArgs(argv), CliUsageError, JSON.stringify(argv));
    }
  });
});
