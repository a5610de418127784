/**
 * Charts as inline SVG text, so the HTML report is one self-contained file: no script, no
 * stylesheet or font from the network. Every label passes through {@link escapeXml}, because
 * category names come from the data file (`R&B` is a real genre).
 */

/** Escapes text for XML/HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => {
    switch (character) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return '&#39;';
    }
  });
}

/** Rounds a coordinate to 0.1 px: enough for a screen, and it keeps the file small. */
function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** About `count` round tick values covering [low, high] (1, 2 or 5 times a power of ten apart). */
export function niceTicks(low: number, high: number, count = 5): number[] {
  if (!(high > low)) return [low];
  const rough = (high - low) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step =
    [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? rough;
  const ticks: number[] = [];
  for (let tick = Math.ceil(low / step) * step; tick <= high + step * 1e-9; tick += step) {
    ticks.push(Math.abs(tick) < step * 1e-9 ? 0 : Number(tick.toPrecision(12)));
  }
  return ticks;
}

function tickText(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return String(Math.round(value));
  if (magnitude >= 1) return String(Number(value.toPrecision(4)));
  return String(Number(value.toPrecision(3)));
}

/** One line of a {@link lineChart}: `values[i]` is the value at x = i + 1 (epochs count from 1). */
export interface Series {
  name: string;
  values: readonly number[];
  colour: string;
}

/** What a {@link lineChart} draws. */
export interface LineChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly Series[];
  /** A vertical marker, e.g. the best epoch, with a dot on each series at that x. */
  marker?: { x: number; label: string };
  width?: number;
  height?: number;
}

/** Most points drawn per series; longer series are thinned evenly (the last point is kept). */
const MAX_POINTS = 400;

/** A line chart with axes, ticks, a legend and an optional vertical marker. */
export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 640;
  const height = spec.height ?? 280;
  const margin = { left: 64, right: 16, top: 36, bottom: 44 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const length = Math.max(1, ...spec.series.map((series) => series.values.length));
  const finite = spec.series.flatMap((series) =>
    series.values.filter((value) => Number.isFinite(value)),
  );
  let low = finite.length > 0 ? Math.min(...finite) : 0;
  let high = finite.length > 0 ? Math.max(...finite) : 1;
  if (high - low < 1e-12) {
    low -= 0.5;
    high += 0.5;
  }
  const yTicks = niceTicks(low, high);
  low = Math.min(low, yTicks[0] ?? low);
  high = Math.max(high, yTicks[yTicks.length - 1] ?? high);
  const xOf = (x: number) =>
    margin.left + (length <= 1 ? plotWidth / 2 : ((x - 1) / (length - 1)) * plotWidth);
  const yOf = (y: number) => margin.top + plotHeight - ((y - low) / (high - low)) * plotHeight;

  const parts: string[] = [];
  parts.push(
    `<svg class="chart" role="img" aria-label="${escapeXml(spec.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
    `<title>${escapeXml(spec.title)}</title>`,
    `<text x="${margin.left}" y="20" class="chart-title">${escapeXml(spec.title)}</text>`,
  );
  for (const tick of yTicks) {
    const y = px(yOf(tick));
    parts.push(
      `<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${y}" y2="${y}" class="grid"/>`,
      `<text x="${margin.left - 6}" y="${y}" class="tick" text-anchor="end" dominant-baseline="middle">${tickText(tick)}</text>`,
    );
  }
  for (const tick of niceTicks(1, length).filter((tick) => tick >= 1 && Number.isInteger(tick))) {
    const x = px(xOf(tick));
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight + 4}" class="axis"/>`,
      `<text x="${x}" y="${margin.top + plotHeight + 16}" class="tick" text-anchor="middle">${tickText(tick)}</text>`,
    );
  }
  parts.push(
    `<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotHeight}" class="axis"/>`,
    `<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight}" class="axis"/>`,
    `<text x="${margin.left + plotWidth / 2}" y="${height - 6}" class="label" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`,
    `<text x="14" y="${margin.top + plotHeight / 2}" class="label" text-anchor="middle" transform="rotate(-90 14 ${margin.top + plotHeight / 2})">${escapeXml(spec.yLabel)}</text>`,
  );
  for (const series of spec.series) {
    const stride = Math.max(1, Math.ceil(series.values.length / MAX_POINTS));
    const points: string[] = [];
    for (let index = 0; index < series.values.length; index += 1) {
      const value = series.values[index] as number;
      if ((index % stride !== 0 && index !== series.values.length - 1) || !Number.isFinite(value))
        continue;
      points.push(`${px(xOf(index + 1))},${px(yOf(value))}`);
    }
    parts.push(
      `<polyline class="series" fill="none" stroke="${escapeXml(series.colour)}" stroke-width="1.5" points="${points.join(' ')}"><title>${escapeXml(series.name)}</title></polyline>`,
    );
  }
  if (spec.marker !== undefined) {
    const x = px(xOf(spec.marker.x));
    parts.push(
      `<line class="marker" x1="${x}" x2="${x}" y1="${margin.top}" y2="${margin.top + plotHeight}" stroke="#555" stroke-dasharray="4 3"/>`,
      `<text class="marker-label" x="${x}" y="${margin.top - 4}" text-anchor="middle">${escapeXml(spec.marker.label)}</text>`,
    );
    for (const series of spec.series) {
      const value = series.values[spec.marker.x - 1];
      if (value !== undefined && Number.isFinite(value)) {
        parts.push(
          `<circle cx="${x}" cy="${px(yOf(value))}" r="3.5" fill="${escapeXml(series.colour)}"/>`,
        );
      }
    }
  }
  spec.series.forEach((series, index) => {
    const x = margin.left + plotWidth - 150;
    const y = margin.top + 8 + index * 16;
    parts.push(
      `<line x1="${x}" x2="${x + 18}" y1="${y}" y2="${y}" stroke="${escapeXml(series.colour)}" stroke-width="2"/>`,
      `<text x="${x + 24}" y="${y}" class="legend" dominant-baseline="middle">${escapeXml(series.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** What a {@link heatMap} draws: `counts[row][column]`, rows the true class, columns the predicted. */
export interface HeatMapSpec {
  title: string;
  labels: readonly string[];
  counts: readonly (readonly number[])[];
  rowTitle?: string;
  columnTitle?: string;
}

/**
 * A confusion matrix as a heat map: each cell shaded by its share of its row (so a row of a rare
 * class is as readable as a common one) and labelled with its count.
 */
export function heatMap(spec: HeatMapSpec): string {
  const n = spec.labels.length;
  const cell = n > 8 ? 40 : 56;
  const labelWidth = 96;
  const top = 112;
  const width = labelWidth + n * cell + 24;
  const height = top + n * cell + 36;
  const parts: string[] = [
    `<svg class="chart heatmap" role="img" aria-label="${escapeXml(spec.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
    `<title>${escapeXml(spec.title)}</title>`,
    `<text x="8" y="20" class="chart-title">${escapeXml(spec.title)}</text>`,
    `<text x="${labelWidth + (n * cell) / 2}" y="40" class="label" text-anchor="middle">${escapeXml(spec.columnTitle ?? 'predicted')}</text>`,
    `<text x="8" y="${top + n * cell + 24}" class="label">${escapeXml(spec.rowTitle ?? 'rows: true class')}</text>`,
  ];
  spec.labels.forEach((label, index) => {
    const x = labelWidth + index * cell + cell / 2;
    parts.push(
      `<text x="${px(x)}" y="${top - 6}" class="tick" text-anchor="start" transform="rotate(-45 ${px(x)} ${top - 6})">${escapeXml(label)}</text>`,
      `<text x="${labelWidth - 6}" y="${px(top + index * cell + cell / 2)}" class="tick" text-anchor="end" dominant-baseline="middle">${escapeXml(label)}</text>`,
    );
  });
  spec.counts.forEach((row, r) => {
    const total = row.reduce((sum, count) => sum + count, 0);
    row.forEach((count, c) => {
      const share = total > 0 ? count / total : 0;
      // White to a deep blue; text turns white on the dark half.
      const shade = (from: number, to: number) => Math.round(from + (to - from) * share);
      const fill = `rgb(${shade(255, 33)},${shade(255, 102)},${shade(255, 172)})`;
      const x = labelWidth + c * cell;
      const y = top + r * cell;
      parts.push(
        `<rect class="cell" x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="#fff"><title>${escapeXml(`${spec.labels[r] ?? ''} → ${spec.labels[c] ?? ''}: ${count} (${(share * 100).toFixed(1)}% of row)`)}</title></rect>`,
        `<text x="${px(x + cell / 2)}" y="${px(y + cell / 2)}" class="count" text-anchor="middle" dominant-baseline="middle" fill="${share > 0.5 ? '#fff' : '#222'}">${count}</text>`,
      );
    });
  });
  parts.push('</svg>');
  return parts.join('\n');
}
