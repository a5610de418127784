import { describe, expect, it } from 'vitest';
import {
  escapeXml,
  gridChart,
  heatMap,
  labelAnchor,
  lineChart,
  niceTicks,
  sharesChart,
} from './svg.js';

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

  it('puts the legend in its own row above the plot, clear of the lines and the marker', () => {
    const svg = lineChart({
      title: 't',
      xLabel: 'epoch',
      yLabel: 'loss',
      series: [
        { name: 'training loss', values: [3, 2, 1], colour: '#00f' },
        { name: 'validation loss', values: [3, 2.5, 2], colour: '#f00' },
      ],
      marker: { x: 3, label: 'best epoch 3' },
    });
    const plotTop = Number(/<line x1="64" x2="64" y1="([0-9.]+)"/.exec(svg)![1]);
    const legendYs = [...svg.matchAll(/<text x="[0-9.]+" y="([0-9.]+)" class="legend"/g)].map((m) =>
      Number(m[1]),
    );
    expect(legendYs).toHaveLength(2);
    // 11 px text centred on its y: its lower edge stays above the marker label and the plot.
    const markerY = Number(/class="marker-label" x="[0-9.]+" y="([0-9.]+)"/.exec(svg)![1]);
    for (const y of legendYs) expect(y + 6).toBeLessThan(markerY - 9);
    expect(markerY).toBeLessThan(plotTop);
  });

  it('anchors the best-epoch label so it stays inside the chart at the first and last epoch', () => {
    const chart = (x: number) =>
      lineChart({
        title: 't',
        xLabel: 'epoch',
        yLabel: 'loss',
        series: [{ name: 's', values: [3, 2, 1, 0.5], colour: '#000' }],
        marker: { x, label: `best epoch ${x}` },
      });
    expect(chart(4)).toMatch(/class="marker-label" x="624" y="[0-9.]+" text-anchor="end"/);
    expect(chart(2)).toMatch(/class="marker-label" [^>]*text-anchor="middle"/);
    expect(labelAnchor(624, 'best epoch 2000', 640)).toBe('end');
    expect(labelAnchor(3, 'best epoch 1', 640)).toBe('start');
    expect(labelAnchor(320, 'best epoch 1', 640)).toBe('middle');
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

describe('gridChart', () => {
  it('shades each cell, writes its text, and greys out a cell without a value', () => {
    const svg = gridChart({
      title: 'Mean minutes',
      rowLabels: ['Japan', 'UK'],
      columnLabels: ['Spotify', 'Tidal'],
      rowTitle: 'rows: country',
      columnTitle: 'platform',
      cells: [
        [
          { text: '300', shade: 1, tip: 'Japan × Spotify' },
          { text: '200', shade: 0, tip: 'Japan × Tidal' },
        ],
        [
          { text: '—', shade: null, tip: 'UK × Spotify: no listeners' },
          { text: '250', shade: 0.5, tip: 'UK × Tidal' },
        ],
      ],
    });
    expect(svg.match(/<rect/g)).toHaveLength(4);
    expect(svg).toContain('fill="rgb(33,102,172)"');
    expect(svg).toContain('fill="#eee"');
    expect(svg).toMatch(/fill="#fff">300<\/text>/);
    expect(svg).toContain('>—</text>');
  });
});

describe('sharesChart', () => {
  it('draws each share with its interval and the network beside it, legend above the plot', () => {
    const mark = (share: number) => ({
      share,
      low: share - 0.05,
      high: share + 0.05,
      predicted: share + 0.01,
    });
    const svg = sharesChart({
      title: 'Time of day by age',
      groupTitle: 'age band',
      groups: ['13–17', '18–24'],
      classes: ['Morning', 'Night'],
      marks: [
        [mark(0.3), mark(0.7)],
        [mark(0.4), mark(0.6)],
      ],
    });
    expect(svg.match(/<line class="interval"/g)).toHaveLength(4);
    expect(svg.match(/<circle class="observed"/g)).toHaveLength(4);
    expect(svg.match(/<circle class="predicted"/g)).toHaveLength(4);
    expect(svg).toContain('>13–17</text>');
    expect(svg).toMatch(/>[0-9.]+%<\/text>/);
    // Every mark is inside the plot: its y between the plot's top (62) and bottom (256).
    for (const m of svg.matchAll(/class="(?:observed|predicted)" cx="[0-9.]+" cy="([0-9.]+)"/g)) {
      expect(Number(m[1])).toBeGreaterThanOrEqual(62);
      expect(Number(m[1])).toBeLessThanOrEqual(256);
    }
    expect(svg).not.toMatch(/NaN|undefined/);
  });
});
