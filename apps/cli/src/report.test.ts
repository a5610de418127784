import { describe, expect, it } from 'vitest';
import { renderReport } from './report.js';
import { exampleResult } from './test-results.js';

describe('renderReport', () => {
  const html = renderReport({
    dataset: { source: 'file', path: 'a&b.csv', rows: 5000 },
    questions: [exampleResult()],
    version: '1.2.3',
  });

  it('is one self-contained page: no script, no stylesheet or image link, no URL', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|<img|\ssrc=|url\(/i);
  });

  it('escapes every name that comes from the data', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('R&amp;B');
    expect(html).toContain('a&amp;b.csv');
    expect(html).toContain('A note with &quot;quotes&quot; &amp; ampersands.');
  });

  it('draws the loss and metric curves with the best epoch marked, and the confusion heat map', () => {
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html.match(/class="marker-label"[^>]*>best epoch 200</g)).toHaveLength(2);
    expect(html).toContain('Loss per epoch');
    expect(html).toContain('Validation accuracy per epoch');
    expect(html).toContain('Confusion matrix, 1,000 test rows');
  });

  it('has the answer table, the trust table, the tests and the sentence', () => {
    expect(html).toContain('<table class="answer">');
    expect(html).toContain(
      '<td>lookup table (best row-by-row baseline)</td><td class="num">0.111</td>',
    );
    expect(html).toContain('network vs majority class p = 0.15 (exact)');
    expect(html).toContain(
      '<p class="sentence">No evidence that country predicts genre: p = 0.74 (chi-square).</p>',
    );
  });
});
