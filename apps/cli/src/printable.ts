/**
 * Text for a terminal. Category values, file names and whatever a model file holds reach the
 * screen, and a country of `ESC]0;…` would set the window title and clear the screen: every
 * control character is shown as its `\uXXXX` escape instead, the form JSON uses, so a `--json`
 * document stays valid and reads back the same. Line breaks stay (output is lines).
 */

/**
 * C0 controls but the line feed, DEL, C1 controls (a terminal may read U+009B as ESC [), and the
 * bidirectional overrides and isolates, which make text read in another order than it is.
 */
const CONTROL = '[\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]';

/** The sequences of `styles()` in terminal.ts: bold, dim, green, yellow, red and their resets. */
const OWN_STYLES = '\\u001b\\[(?:1|2|22|31|32|33|39)m';

const CONTROLS = new RegExp(CONTROL, 'g');
const CONTROLS_BUT_STYLES = new RegExp(`${OWN_STYLES}|${CONTROL}`, 'g');

function escaped(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every control character escaped (`\u001b`). With `styles`, the colour sequences
 * the CLI itself writes are kept: text from outside can then only colour what it already prints.
 */
export function printable(text: string, options: { styles?: boolean } = {}): string {
  if (options.styles !== true) return text.replace(CONTROLS, escaped);
  return text.replace(CONTROLS_BUT_STYLES, (match) => (match.length > 1 ? match : escaped(match)));
}
