/**
 * The answer as the page shows it: the command's own words and tables (`@scratchnet/cli/questions`)
 * laid out as HTML, built with text nodes so no value from a file is ever read as markup.
 */
import type { AnswerTable, DatasetInfo, QuestionResult } from '@scratchnet/cli/questions';
import {
  answerHeading,
  datasetLine,
  grouped,
  layersText,
  renderTable,
  repetitionLine,
  trainingLine,
  trustBlock,
  trustTable,
} from '@scratchnet/cli/questions';

type Child = Node | string;

/** An element with attributes and children. */
export function el(tag: string, attributes: Record<string, string> = {}, ...children: Child[]) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** A table that scrolls inside its own box when wider than the screen; the page never does. */
function table(content: AnswerTable, className: string): HTMLElement {
  const align = (index: number): Record<string, string> =>
    content.columns[index]?.align === 'right' ? { class: 'num' } : {};
  return el(
    'div',
    { class: 'table-scroll' },
    el(
      'table',
      { class: className },
      el('thead', {}, el('tr', {}, ...content.columns.map((c, i) => el('th', align(i), c.header)))),
      el(
        'tbody',
        {},
        ...content.cells.map((row) =>
          el('tr', {}, ...row.map((cell, i) => el('td', align(i), cell))),
        ),
      ),
    ),
  );
}

/** The lines the command prints under its trust table: baseline note, loss, permutation, χ². */
function trustLines(result: QuestionResult): string[] {
  const scores = trustTable(result);
  const block = trustBlock(result);
  const rendered = renderTable(scores.columns, scores.cells);
  return block.slice(rendered.length + 1).split('\n');
}

/**
 * Where a run is: the first network's answer while the repetition runs, an answer cut short by
 * Stop, or the whole procedure's (the command's) answer.
 */
export type Stage = 'first' | 'stopped' | 'done';

/** One answered question: sentence, answer table, trust block, training facts. */
export function resultView(
  result: QuestionResult,
  dataset: DatasetInfo,
  stage: Stage,
  note?: string,
): HTMLElement {
  const significance = result.significance;
  const lines = trustLines(result);
  const repeated = repetitionLine(result);
  return el(
    'article',
    {
      id: result.id,
      'data-stage': stage,
      // Full precision for the tests, which compare with the command's JSON bit for bit.
      'data-test-score': String(result.test.score),
      'data-test-loss': String(result.test.loss),
      'data-best-epoch': String(result.training.bestEpoch),
      'data-epochs': String(result.training.epochs),
      'data-seconds': String(result.training.seconds),
    },
    el('h2', {}, result.title),
    el('p', { class: 'facts' }, datasetLine(dataset)),
    ...(note === undefined ? [] : [el('p', { class: 'note run-note' }, note)]),
    el(
      'p',
      { class: `sentence${significance.evidence ? ' evidence' : ''}` },
      significance.sentence,
    ),
    el('h3', {}, answerHeading(result)),
    table(result.answerTable, 'answer'),
    el('p', { class: 'note' }, result.answerNote),
    el('h3', {}, 'How much to trust it'),
    table(trustTable(result), 'trust'),
    el('p', {}, ...lines.flatMap((line, i) => (i === 0 ? [line] : [el('br'), line]))),
    el('h3', {}, 'Training'),
    el(
      'p',
      { class: 'facts' },
      `Network ${layersText(result.network.layers)} (${grouped(result.network.parameters)} parameters); ` +
        `rows: ${grouped(result.split.train)} train / ${grouped(result.split.validation)} validation / ` +
        `${grouped(result.split.test)} test. ` +
        trainingLine(result),
      ...(repeated === undefined ? [] : [el('br'), repeated]),
    ),
  );
}
