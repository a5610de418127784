/**
 * The `--report FILE.html` page: one self-contained file (inline CSS and SVG, no script, no URL)
 * with, per question, the sentence, the answer table and charts of the answer, the trust numbers
 * with the confusion matrix as a heat map, and the loss curves with the best epoch marked. It reads
 * on a phone: tables scroll inside their own box and charts shrink to the screen.
 */
import {
  answerHeading,
  baselineNote,
  datasetLine,
  layersText,
  lossLine,
  permutationLine,
  procedureLine,
  questionNumber,
  repetitionLine,
  trainingLine,
  trustTable,
} from './render.js';
import { fixed, grouped, pValue } from './format.js';
import type { AnswerChart, AnswerTable, QuestionResult, QuestionsRun } from './results.js';
import { escapeXml, gridChart, heatMap, histogram, lineChart, sharesChart } from './svg.js';

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; color: #222; max-width: 1080px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { margin-top: 2.2em; border-bottom: 1px solid #ddd; padding-bottom: .2em; }
p, h1, h2, h3 { overflow-wrap: anywhere; }
.table-scroll { overflow-x: auto; max-width: 100%; margin: .8em 0; }
table { border-collapse: collapse; }
th, td { padding: .2em .7em; border-bottom: 1px solid #eee; text-align: left; }
td { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.sentence { font-weight: 600; padding: .5em .8em; border-left: 4px solid #c90; background: #fff8e6; }
.sentence.evidence { border-color: #2a7; background: #eefaf3; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; }
svg.chart { max-width: 100%; height: auto; }
.chart text { font: 11px system-ui, sans-serif; fill: #333; }
.chart .chart-title { font-size: 13px; font-weight: 600; }
.chart .grid { stroke: #eee; } .chart .axis { stroke: #888; }
.note, .facts { color: #555; }
@media (max-width: 600px) {
  body { margin: 1em auto; padding: 0 .6em; font-size: 14px; }
  th, td { padding: .2em .45em; }
}
`;

function htmlTable(table: AnswerTable, className = 'answer'): string {
  const head = table.columns
    .map(
      (column) =>
        `<th${column.align === 'right' ? ' class="num"' : ''}>${escapeXml(column.header)}</th>`,
    )
    .join('');
  const body = table.cells
    .map(
      (row) =>
        '<tr>' +
        row
          .map(
            (cell, index) =>
              `<td${table.columns[index]?.align === 'right' ? ' class="num"' : ''}>${escapeXml(cell)}</td>`,
          )
          .join('') +
        '</tr>',
    )
    .join('\n');
  // The box scrolls sideways when the table is wider than the screen; the page itself never does.
  return `<div class="table-scroll"><table class="${className}"><thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}

/** A chart of the answer, as SVG. */
function answerChart(chart: AnswerChart): string {
  if (chart.kind === 'shares') {
    return sharesChart({
      title: chart.title,
      groupTitle: chart.groupTitle,
      groups: chart.groups,
      classes: chart.classes,
      marks: chart.marks,
    });
  }
  const present = chart.values.flat().filter((value): value is number => value !== null);
  const low = Math.min(...present);
  const high = Math.max(...present);
  const text = (value: number) =>
    chart.unit === 'share' ? `${Math.round(value * 100)}%` : String(Math.round(value));
  return gridChart({
    title: chart.title,
    rowLabels: chart.rows,
    columnLabels: chart.columns,
    rowTitle: chart.rowTitle,
    columnTitle: chart.columnTitle,
    cells: chart.values.map((row, r) =>
      row.map((value, c) => {
        const users = chart.counts[r]?.[c] ?? 0;
        const where = `${chart.rows[r] ?? ''} × ${chart.columns[c] ?? ''}`;
        if (value === null) return { text: '—', shade: null, tip: `${where}: no listeners` };
        return {
          text: text(value),
          // Shaded from the smallest value to the largest, so small differences still show.
          shade: high > low ? (value - low) / (high - low) : 0,
          tip: `${where}: ${text(value)}${chart.unit === 'minutes' ? ' minutes per day' : ''}, ${users} listeners`,
        };
      }),
    ),
  });
}

/** The null distribution of the permutation test of the procedure, with the real score on it. */
function procedureChart(result: QuestionResult): string {
  const test = result.significance.procedure;
  if (test === undefined) return '';
  const metric = result.test.metric === 'accuracy' ? 'test accuracy' : 'test R²';
  return `<div class="charts">\n${histogram({
    title: `Permutation test of the procedure: ${metric}, ${grouped(test.permutations)} shuffles`,
    xLabel: `${metric} after training on shuffled targets`,
    values: test.nullScores,
    marker: {
      x: test.score,
      label: `real targets ${fixed(test.score, 3)} (${pValue(test.pValue)})`,
    },
  })}\n</div>`;
}

function questionSection(result: QuestionResult, index: number): string {
  const repeated = repetitionLine(result);
  const history = result.training.history;
  const metricName = result.test.metric === 'accuracy' ? 'validation accuracy' : 'validation R²';
  const best = { x: result.training.bestEpoch, label: `best epoch ${result.training.bestEpoch}` };
  const charts = [
    lineChart({
      title: 'Loss per epoch',
      xLabel: 'epoch',
      yLabel: 'loss',
      series: [
        {
          name: 'training loss',
          values: history.map((point) => point.trainLoss),
          colour: '#2166ac',
        },
        {
          name: 'validation loss',
          values: history.map((point) => point.validationLoss),
          colour: '#d6604d',
        },
      ],
      marker: best,
    }),
    lineChart({
      title: metricName[0]?.toUpperCase() + metricName.slice(1) + ' per epoch',
      xLabel: 'epoch',
      yLabel: metricName,
      series: [
        {
          name: metricName,
          values: history.map((point) => point.validationMetric),
          colour: '#1b7837',
        },
      ],
      marker: best,
    }),
  ];
  const confusion =
    result.confusion === undefined
      ? ''
      : `<div class="charts">\n${heatMap({
          title: `Confusion matrix, ${result.scoredOn}`,
          labels: result.confusion.labels,
          counts: result.confusion.counts,
          rowTitle: `rows: true ${result.targetName}`,
          columnTitle: `predicted ${result.targetName}`,
        })}\n</div>`;
  const significance = result.significance;
  const note = baselineNote(result);
  const tests = [
    ...(note === undefined ? [] : [escapeXml(note)]),
    escapeXml(lossLine(result)),
    escapeXml(permutationLine(significance)),
  ];
  const procedureText = procedureLine(significance);
  if (procedureText !== undefined) tests.push(escapeXml(procedureText));
  if (significance.chiSquare !== undefined) {
    const chi = significance.chiSquare;
    tests.push(
      `Chi-square test of independence, ${escapeXml(chi.table)} on all rows: χ² = ${fixed(chi.statistic, 1)}, df = ${chi.degreesOfFreedom}, ${pValue(chi.pValue)}, Cramér's V = ${fixed(chi.cramersV, 3)}.`,
    );
  }
  return `
<section id="${escapeXml(result.id)}">
<h2>${questionNumber(result.id, index)}. ${escapeXml(result.title)}</h2>
<p class="sentence${significance.evidence ? ' evidence' : ''}">${escapeXml(significance.sentence)}</p>
<h3>${escapeXml(answerHeading(result))}</h3>
${htmlTable(result.answerTable)}
<p class="note">${escapeXml(result.answerNote)}</p>
<div class="charts">
${result.answerCharts.map(answerChart).join('\n')}
</div>
<h3>How much to trust it</h3>
${htmlTable(trustTable(result), 'trust')}
<p>${tests.join('<br>\n')}</p>
${procedureChart(result)}
${confusion}
<h3>Training</h3>
<p class="facts">Network ${escapeXml(layersText(result.network.layers))} (${grouped(result.network.parameters)} parameters);
rows: ${grouped(result.split.train)} train / ${grouped(result.split.validation)} validation / ${grouped(result.split.test)} test.
${escapeXml(trainingLine(result))}${repeated === undefined ? '' : `<br>\n${escapeXml(repeated)}`}</p>
<div class="charts">
${charts.join('\n')}
</div>
</section>`;
}

/** The whole report page for a `questions` (or `train`) run. */
export function renderReport(
  run: QuestionsRun,
  title = 'scratchnet: the three listener questions',
): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeXml(title)}</h1>
<p>${escapeXml(datasetLine(run.dataset))}</p>
<p class="note">Made by scratchnet ${escapeXml(run.version)}. Every score is shown beside its baselines and its 95% bootstrap interval.</p>
${run.questions.map(questionSection).join('\n')}
</body>
</html>
`;
}
