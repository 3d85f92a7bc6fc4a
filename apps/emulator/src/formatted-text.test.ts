import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from './api-error.js';
import { renderFormattedText } from './formatted-text.js';

const parseFailure = (pattern: RegExp) => (error: unknown) =>
  error instanceof ApiError && error.errorCode === 400 && pattern.test(error.message);

describe('renderFormattedText', () => {
  it('strips supported HTML and decodes entities', () => {
    assert.equal(
      renderFormattedText('<b>a</b> <a href="https://x.y">link</a> &lt;3 &#33; &#x41;', 'HTML'),
      'a link <3 ! A',
    );
    assert.equal(
      renderFormattedText('<span class="tg-spoiler">s</span> &unknown; x', 'HTML'),
      's &unknown; x',
    );
  });

  it('rejects unsupported and unbalanced HTML like Telegram', () => {
    assert.throws(
      () => renderFormattedText('<p>x</p>', 'HTML'),
      parseFailure(/Unsupported start tag "p"/),
    );
    assert.throws(() => renderFormattedText('<b>x</i>', 'HTML'), parseFailure(/Unmatched end tag/));
    assert.throws(
      () => renderFormattedText('<b>x', 'HTML'),
      parseFailure(/Can't find end tag corresponding to start tag "b"/),
    );
    assert.throws(
      () => renderFormattedText('1 < 2', 'HTML'),
      parseFailure(/Can't find end of the tag|Unsupported start tag/),
    );
  });

  it('handles MarkdownV2 entities, escapes and reserved characters', () => {
    assert.equal(
      renderFormattedText('*b* _i_ __u__ ~s~ ||sp|| `c.de` [l](https://x.y/a_b)', 'MarkdownV2'),
      'b i u s sp c.de l',
    );
    assert.equal(renderFormattedText('1\\+1 \\= 2\\!', 'MarkdownV2'), '1+1 = 2!');
    assert.equal(renderFormattedText('>quoted', 'MarkdownV2'), 'quoted');
    assert.throws(
      () => renderFormattedText('Hello!', 'MarkdownV2'),
      parseFailure(/Character '!' is reserved/),
    );
    assert.throws(
      () => renderFormattedText('a-b', 'MarkdownV2'),
      parseFailure(/Character '-' is reserved/),
    );
    assert.throws(
      () => renderFormattedText('*open', 'MarkdownV2'),
      parseFailure(/Can't find end of Bold entity/),
    );
  });

  it('handles legacy Markdown', () => {
    assert.equal(
      renderFormattedText('*b* _i_ `c` [l](http://x.y) a-b.', 'Markdown'),
      'b i c l a-b.',
    );
    assert.throws(
      () => renderFormattedText('*open', 'Markdown'),
      parseFailure(/Can't find end of the entity/),
    );
  });

  it('leaves plain text alone', () => {
    assert.equal(renderFormattedText('<b>*x*</b>', undefined), '<b>*x*</b>');
  });
});
