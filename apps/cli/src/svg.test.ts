import { describe, expect, it } from 'vitest';
import { escapeXml, heatMap, lineChart, niceTicks } from './svg.js';

describe('escapeXml', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`R&B <b> "x" 'y'`)).toBe('R&amp;B &lt;b&gt; &quot;x&quot; &#39;y&#39;');
  });
});

describe('niceTicks', () => {
  it('covers the range with round steps', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(1, 2000)).toEqual([500, 1000, 1500, 2000]);
  });
});

describe('lineChart', () => {
  it('draws one polyline per series, a best-epoch marker with a dot per series, and a legend', () => {
    const svg = lineChart({
      title: 'Loss & more',
      xLabel: 'epoch',
      yLabel: 'loss',
      series: [
        { name: 'training loss', values: [3, 2, 1.5, 1.2], colour: '#00f' },
        { name: 'validation loss', values: [3, 2.2, 2.1, 2.3], colour: '#f00' },
      ],
      marker: { x: 3, label: 'best epoch 3' },
    });
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/<circle/g)).toHaveLength(2);
    expect(svg).toContain('best epoch 3');
    expect(svg).toContain('Loss &amp; more');
    expect(svg).not.toMatch(/NaN|undefined/);
  });

  it('thins long series but keeps the last point', () => {
    const values = Array.from({ length: 2000 }, (_, i) => 1 / (i + 1));
    const svg = lineChart({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      series: [{ name: 's', values, colour: '#000' }],
    });
    const points = /points="([^"]*)"/.exec(svg)?.[1]?.split(' ') ?? [];
    expect(points.length).toBeLessThanOrEqual(401);
    expect(points[points.length - 1]).toMatch(/^624,/);
  });

  it('skips non-finite values and draws a flat series', () => {
    const svg = lineChart({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      series: [{ name: 's', values: [1, Number.NaN, 1], colour: '#000' }],
    });
    expect(svg).not.toMatch(/NaN/);
  });
});

describe('heatMap', () => {
  it('draws a cell per count with the count written in it', () => {
    const svg = heatMap({
      title: 'Confusion',
      labels: ['a', 'R&B'],
      counts: [
        [3, 1],
        [0, 4],
      ],
    });
    expect(svg.match(/<rect/g)).toHaveLength(4);
    expect(svg).toContain('>3</text>');
    expect(svg).toContain('R&amp;B');
    expect(svg).not.toContain('R&B');
  });
});
