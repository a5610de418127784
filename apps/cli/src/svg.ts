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

/** A chart's opening tag, its accessible title and the title drawn at its top left. */
function chartHead(
  className: string,
  title: string,
  size: { width: number | string; height: number },
  titleX: number,
): string[] {
  const { width, height } = size;
  return [
    `<svg class="${className}" role="img" aria-label="${escapeXml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
    `<title>${escapeXml(title)}</title>`,
    `<text x="${titleX}" y="${TITLE_Y}" class="chart-title">${escapeXml(title)}</text>`,
  ];
}

/** A horizontal grid line at each tick, labelled left of the plot. */
function yGrid(
  ticks: readonly number[],
  yOf: (y: number) => number,
  plot: { left: number; width: number },
  label: (tick: number) => string = tickText,
): string[] {
  return ticks.flatMap((tick) => {
    const y = px(yOf(tick));
    return [
      `<line x1="${plot.left}" x2="${plot.left + plot.width}" y1="${y}" y2="${y}" class="grid"/>`,
      `<text x="${plot.left - 6}" y="${y}" class="tick" text-anchor="end" dominant-baseline="middle">${label(tick)}</text>`,
    ];
  });
}

/** A line chart with axes, ticks, a legend and an optional vertical marker. */
export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 640;
  const height = spec.height ?? 280;
  // The legend has its own row between the title and the plot, so it never covers a line or the
  // marker; the marker's label sits just above the plot.
  const margin = { left: 64, right: 16, top: 62, bottom: 44 };
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

  const parts: string[] = [
    ...chartHead('chart', spec.title, { width, height }, margin.left),
    ...yGrid(yTicks, yOf, { left: margin.left, width: plotWidth }),
  ];
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
    const at = xOf(spec.marker.x);
    const x = px(at);
    parts.push(
      `<line class="marker" x1="${x}" x2="${x}" y1="${margin.top}" y2="${margin.top + plotHeight}" stroke="#555" stroke-dasharray="4 3"/>`,
      `<text class="marker-label" x="${x}" y="${margin.top - 6}" text-anchor="${labelAnchor(at, spec.marker.label, width)}">${escapeXml(spec.marker.label)}</text>`,
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
  parts.push(
    ...legend(
      spec.series.map((series) => ({ name: series.name, colour: series.colour })),
      margin.left,
    ),
  );
  parts.push('</svg>');
  return parts.join('\n');
}

/** Where every chart's title sits, and its legend row below it (above the plot). */
const TITLE_Y = 18;
const LEGEND_Y = 38;

/** About how wide a line of 11 px system-ui text is: wide enough for digits and most letters. */
export function textWidth(text: string, size = 11): number {
  return text.length * size * 0.62;
}

/**
 * The anchor that keeps a label centred on `x` but inside the chart: a marker at the first or
 * the last epoch gets its label beside it, not cut off at the edge.
 */
export function labelAnchor(x: number, label: string, width: number): 'start' | 'middle' | 'end' {
  const half = textWidth(label) / 2;
  if (x + half > width - 2) return 'end';
  if (x - half < 2) return 'start';
  return 'middle';
}

/** One legend row, left to right from `x`, in the row between the title and the plot. */
function legend(
  items: readonly { name: string; colour: string; key?: 'line' | 'dot' | 'ring' }[],
  x: number,
) {
  const parts: string[] = [];
  let at = x;
  for (const item of items) {
    const colour = escapeXml(item.colour);
    const key = item.key ?? 'line';
    parts.push(
      key === 'line'
        ? `<line class="legend-key" x1="${px(at)}" x2="${px(at + 18)}" y1="${LEGEND_Y}" y2="${LEGEND_Y}" stroke="${colour}" stroke-width="2"/>`
        : `<circle class="legend-key" cx="${px(at + 9)}" cy="${LEGEND_Y}" r="3.5" fill="${key === 'dot' ? colour : '#fff'}" stroke="${colour}" stroke-width="1.5"/>`,
      `<text x="${px(at + 24)}" y="${LEGEND_Y}" class="legend" dominant-baseline="middle">${escapeXml(item.name)}</text>`,
    );
    at += 24 + textWidth(item.name) + 16;
  }
  return parts;
}

/** One cell of a {@link gridChart}. */
export interface GridCell {
  /** What is written in the cell. */
  text: string;
  /** How dark it is, from 0 (white) to 1 (deep blue); `null` for no value (grey). */
  shade: number | null;
  /** The tooltip. */
  tip: string;
}

/** What a {@link gridChart} draws: `cells[row][column]`. */
export interface GridSpec {
  title: string;
  rowLabels: readonly string[];
  columnLabels: readonly string[];
  cells: readonly (readonly GridCell[])[];
  /** Under the grid, e.g. `rows: true class`. */
  rowTitle: string;
  /** Above the column labels, e.g. `predicted`. */
  columnTitle: string;
}

/** A grid of shaded cells with row and column labels: a heat map. */
export function gridChart(spec: GridSpec): string {
  const rows = spec.rowLabels.length;
  const columns = spec.columnLabels.length;
  const cell = columns > 8 ? 40 : 56;
  const labelWidth = Math.max(60, ...spec.rowLabels.map((label) => textWidth(label))) + 12;
  const longestColumn = Math.max(0, ...spec.columnLabels.map((label) => textWidth(label)));
  // Column labels are turned 45°: they need their length × sin 45° above the grid.
  const top = 56 + Math.ceil(longestColumn * Math.SQRT1_2);
  const width = Math.max(
    labelWidth + columns * cell + 24,
    textWidth(spec.title, 13) + 16,
    textWidth(spec.rowTitle) + 16,
  );
  const height = top + rows * cell + 36;
  const parts: string[] = [
    ...chartHead('chart heatmap', spec.title, { width: px(width), height }, 8),
    `<text x="${px(labelWidth + (columns * cell) / 2)}" y="${LEGEND_Y}" class="label" text-anchor="middle">${escapeXml(spec.columnTitle)}</text>`,
    `<text x="8" y="${top + rows * cell + 24}" class="label">${escapeXml(spec.rowTitle)}</text>`,
  ];
  spec.columnLabels.forEach((label, index) => {
    const x = px(labelWidth + index * cell + cell / 2);
    parts.push(
      `<text x="${x}" y="${top - 6}" class="tick" text-anchor="start" transform="rotate(-45 ${x} ${top - 6})">${escapeXml(label)}</text>`,
    );
  });
  spec.rowLabels.forEach((label, index) => {
    parts.push(
      `<text x="${px(labelWidth - 6)}" y="${px(top + index * cell + cell / 2)}" class="tick" text-anchor="end" dominant-baseline="middle">${escapeXml(label)}</text>`,
    );
  });
  spec.cells.forEach((row, r) => {
    row.forEach((one, c) => {
      const shade = one.shade === null ? 0 : Math.min(1, Math.max(0, one.shade));
      // White to a deep blue; text turns white on the dark half.
      const mix = (from: number, to: number) => Math.round(from + (to - from) * shade);
      const fill =
        one.shade === null ? '#eee' : `rgb(${mix(255, 33)},${mix(255, 102)},${mix(255, 172)})`;
      const x = px(labelWidth + c * cell);
      const y = top + r * cell;
      parts.push(
        `<rect class="cell" x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="#fff"><title>${escapeXml(one.tip)}</title></rect>`,
        `<text x="${px(labelWidth + c * cell + cell / 2)}" y="${px(y + cell / 2)}" class="count" text-anchor="middle" dominant-baseline="middle" fill="${shade > 0.5 ? '#fff' : '#222'}">${escapeXml(one.text)}</text>`,
      );
    });
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
  return gridChart({
    title: spec.title,
    rowLabels: spec.labels,
    columnLabels: spec.labels,
    rowTitle: spec.rowTitle ?? 'rows: true class',
    columnTitle: spec.columnTitle ?? 'predicted',
    cells: spec.counts.map((row, r) => {
      const total = row.reduce((sum, count) => sum + count, 0);
      return row.map((count, c) => {
        const share = total > 0 ? count / total : 0;
        return {
          text: String(count),
          shade: share,
          tip: `${spec.labels[r] ?? ''} → ${spec.labels[c] ?? ''}: ${count} (${(share * 100).toFixed(1)}% of row)`,
        };
      });
    }),
  });
}

/** One group's share of one class, its interval, and the network's probability for it. */
export interface ShareMark {
  share: number;
  low: number;
  high: number;
  predicted: number;
}

/** What a {@link sharesChart} draws: `marks[group][class]`. */
export interface SharesSpec {
  title: string;
  groupTitle: string;
  groups: readonly string[];
  classes: readonly string[];
  marks: readonly (readonly ShareMark[])[];
  width?: number;
  height?: number;
}

/** Class colours of a {@link sharesChart} (ColorBrewer Dark2: told apart in print and by most eyes). */
const CLASS_COLOURS = ['#d95f02', '#1b9e77', '#7570b3', '#e7298a', '#66a61e', '#e6ab02'];

/**
 * Shares of each class within each group, as dots with their interval as a vertical bar, and the
 * network's probability as a hollow circle beside each: observed and predicted read together.
 */
export function sharesChart(spec: SharesSpec): string {
  const width = spec.width ?? 640;
  const height = spec.height ?? 300;
  const margin = { left: 64, right: 16, top: 62, bottom: 44 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  // The axis spans the values, not 0 to 100%: shares of a third each differ by a few points.
  const values = spec.marks.flatMap((group) =>
    group.flatMap((mark) => [mark.low, mark.high, mark.predicted]),
  );
  // A little room at both ends, so an interval's end never sits on the axis line.
  const pad = Math.max(0.005, (Math.max(...values) - Math.min(...values)) * 0.05);
  const yTicks = niceTicks(Math.min(...values) - pad, Math.max(...values) + pad);
  const low = Math.min(...values) - pad;
  const high = Math.max(...values) + pad;
  const yOf = (y: number) => margin.top + plotHeight - ((y - low) / (high - low)) * plotHeight;
  const band = plotWidth / Math.max(1, spec.groups.length);
  const step = band / (spec.classes.length + 1);
  const xOf = (group: number, k: number) =>
    margin.left + group * band + band / 2 + (k - (spec.classes.length - 1) / 2) * step;
  const colour = (k: number) => CLASS_COLOURS[k % CLASS_COLOURS.length]!;
  const parts: string[] = [
    ...chartHead('chart shares', spec.title, { width, height }, margin.left),
    ...yGrid(
      yTicks,
      yOf,
      { left: margin.left, width: plotWidth },
      (tick) => `${Number((tick * 100).toPrecision(3))}%`,
    ),
  ];
  parts.push(
    `<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotHeight}" class="axis"/>`,
    `<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight}" class="axis"/>`,
    `<text x="${margin.left + plotWidth / 2}" y="${height - 6}" class="label" text-anchor="middle">${escapeXml(spec.groupTitle)}</text>`,
    `<text x="14" y="${margin.top + plotHeight / 2}" class="label" text-anchor="middle" transform="rotate(-90 14 ${margin.top + plotHeight / 2})">share of listeners</text>`,
  );
  spec.groups.forEach((group, g) => {
    parts.push(
      `<text x="${px(margin.left + g * band + band / 2)}" y="${margin.top + plotHeight + 16}" class="tick" text-anchor="middle">${escapeXml(group)}</text>`,
    );
    spec.marks[g]?.forEach((mark, k) => {
      const x = xOf(g, k);
      const c = escapeXml(colour(k));
      const name = escapeXml(spec.classes[k] ?? '');
      const tip = `${escapeXml(group)}, ${name}: ${(mark.share * 100).toFixed(1)}% seen, 95% interval ${(mark.low * 100).toFixed(1)}–${(mark.high * 100).toFixed(1)}%; network ${(mark.predicted * 100).toFixed(1)}%`;
      parts.push(
        `<g class="share"><title>${tip}</title>`,
        `<line class="interval" x1="${px(x)}" x2="${px(x)}" y1="${px(yOf(mark.low))}" y2="${px(yOf(mark.high))}" stroke="${c}" stroke-width="2"/>`,
        `<circle class="observed" cx="${px(x)}" cy="${px(yOf(mark.share))}" r="3.5" fill="${c}"/>`,
        `<circle class="predicted" cx="${px(x + step * 0.45)}" cy="${px(yOf(mark.predicted))}" r="3.5" fill="#fff" stroke="${c}" stroke-width="1.5"/>`,
        '</g>',
      );
    });
  });
  parts.push(
    ...legend(
      [
        ...spec.classes.map((name, k) => ({ name, colour: colour(k) })),
        { name: 'seen, with its 95% interval', colour: '#555', key: 'dot' as const },
        { name: 'network', colour: '#555', key: 'ring' as const },
      ],
      margin.left,
    ),
  );
  parts.push('</svg>');
  return parts.join('\n');
}

/** What a {@link histogram} draws: how values fall into bins, and one value marked among them. */
export interface HistogramSpec {
  title: string;
  xLabel: string;
  values: readonly number[];
  /** A vertical line, e.g. the real training's score among the shuffled trainings'. */
  marker: { x: number; label: string };
  width?: number;
  height?: number;
}

/** Most bins of a {@link histogram}; fewer when the values take fewer distinct numbers. */
const MAX_BINS = 30;

/**
 * A histogram (counts per bin of equal width) with the marker drawn over it. The bins span the
 * values and the marker together, so the marker is always on the chart.
 */
export function histogram(spec: HistogramSpec): string {
  const width = spec.width ?? 640;
  const height = spec.height ?? 260;
  const margin = { left: 48, right: 16, top: 48, bottom: 44 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const finite = spec.values.filter((value) => Number.isFinite(value));
  let low = Math.min(spec.marker.x, ...finite);
  let high = Math.max(spec.marker.x, ...finite);
  if (!(high - low > 1e-12)) {
    low -= 0.5;
    high += 0.5;
  }
  const bins = Math.max(1, Math.min(MAX_BINS, new Set(finite).size));
  const counts = new Array<number>(bins).fill(0);
  for (const value of finite) {
    counts[Math.min(bins - 1, Math.floor(((value - low) / (high - low)) * bins))]! += 1;
  }
  const top = Math.max(1, ...counts);
  const yTicks = niceTicks(0, top).filter((tick) => Number.isInteger(tick));
  const yMax = Math.max(top, yTicks[yTicks.length - 1] ?? top);
  const xOf = (x: number) => margin.left + ((x - low) / (high - low)) * plotWidth;
  const yOf = (y: number) => margin.top + plotHeight - (y / yMax) * plotHeight;
  const parts: string[] = [
    ...chartHead('chart histogram', spec.title, { width, height }, margin.left),
    ...yGrid(yTicks, yOf, { left: margin.left, width: plotWidth }),
  ];
  const binWidth = plotWidth / bins;
  counts.forEach((count, bin) => {
    if (count === 0) return;
    const from = low + ((high - low) * bin) / bins;
    const to = low + ((high - low) * (bin + 1)) / bins;
    parts.push(
      `<rect class="bin" x="${px(margin.left + bin * binWidth + 0.5)}" y="${px(yOf(count))}" width="${px(Math.max(0.5, binWidth - 1))}" height="${px(yOf(0) - yOf(count))}" fill="#9ab"><title>${tickText(from)} to ${tickText(to)}: ${count}</title></rect>`,
    );
  });
  for (const tick of niceTicks(low, high).filter((tick) => tick >= low && tick <= high)) {
    const x = px(xOf(tick));
    parts.push(
      `<line x1="${x}" x2="${x}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight + 4}" class="axis"/>`,
      `<text x="${x}" y="${margin.top + plotHeight + 16}" class="tick" text-anchor="middle">${tickText(tick)}</text>`,
    );
  }
  const at = xOf(spec.marker.x);
  parts.push(
    `<line x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${margin.top + plotHeight}" y2="${margin.top + plotHeight}" class="axis"/>`,
    `<text x="${margin.left + plotWidth / 2}" y="${height - 6}" class="label" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`,
    `<line class="marker" x1="${px(at)}" x2="${px(at)}" y1="${margin.top}" y2="${margin.top + plotHeight}" stroke="#d6604d" stroke-width="2"/>`,
    `<text class="marker-label" x="${px(at)}" y="${margin.top - 6}" text-anchor="${labelAnchor(at, spec.marker.label, width)}">${escapeXml(spec.marker.label)}</text>`,
    '</svg>',
  );
  return parts.join('\n');
}
