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

  it('draws the answer, the loss and metric curves with the best epoch marked, and the confusion heat map', () => {
    expect(html.match(/<svg /g)).toHaveLength(5);
    // The permutation test of the procedure: its null distribution, with the real score on it.
    expect(html.match(/<rect class="bin"/g)?.length).toBeGreaterThan(1);
    expect(html).toContain('real targets 0.110 (p = 0.40)');
    expect(html).toContain('Share of each top genre among the listeners of each country');
    // A pair no listener has is a grey cell with a dash, not 0%.
    expect(html).toContain('<title>UK × R&amp;B: no listeners</title>');
    expect(html.match(/class="marker-label"[^>]*>best epoch 200</g)).toHaveLength(2);
    expect(html).toContain('Loss per epoch');
    expect(html).toContain('Validation accuracy per epoch');
    expect(html).toContain('Confusion matrix, 1,000 test rows');
  });

  it('says the sentence first, and puts every table in a box that scrolls on a narrow screen', () => {
    const section = html.slice(html.indexOf('<section'));
    expect(section.indexOf('class="sentence')).toBeLessThan(section.indexOf('<table'));
    expect(html.match(/<div class="table-scroll"><table/g)).toHaveLength(2);
    expect(html).toContain('.table-scroll { overflow-x: auto;');
    expect(html).toContain('svg.chart { max-width: 100%; height: auto; }');
  });

  it('numbers a question by its place among the three', () => {
    const one = renderReport({
      dataset: { source: 'file', path: 'x.csv', rows: 5000 },
      questions: [{ ...exampleResult(), id: 'listening-time-by-age' }],
      version: '1.2.3',
    });
    expect(one).toMatch(/<h2>3\. /);
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
