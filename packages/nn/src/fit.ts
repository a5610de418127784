import type { Network } from './network.js';
import type { Dataset } from './engine.js';
import { TrainingRun } from './training.js';
import type { FitOptions, History } from './training.js';

/**
 * Trains `network` in place on `train`, watching the loss on `validation` after every epoch, and
 * leaves it holding the weights of the epoch with the lowest validation loss.
 *
 * Each epoch: forward, loss, backward (`dz2 = a2 − y`, …, `dW1 = Xᵀ·dz1`), one optimizer step per
 * batch; then the validation loss and metric (accuracy or R²). `options.engine` computes those
 * passes (default: nn's `referenceEngine`); the loop is this package's whatever the engine. Training stops after `epochs`,
 * when `patience` epochs pass without an improvement larger than `minDelta`, or when `signal`
 * aborts. Throws `TrainingError` on bad options or data, and (`NON_FINITE_LOSS`) when the loss
 * becomes NaN or infinite — the network then holds the best weights seen before that, as it
 * does when `onEpoch` throws (the error is passed on).
 */
export function fit(
  network: Network,
  train: Dataset,
  validation: Dataset,
  options: FitOptions,
): History {
  const run = new TrainingRun(network, train, validation, options);
  try {
    while (!run.done) run.step();
  } catch (error) {
    // Whatever stopped the run (an `onEpoch` that throws, too), the network ends on its best.
    run.finish();
    throw error;
  }
  return run.finish();
}

/**
 * Resolves on a later turn of the event loop, after pending I/O and messages: `setImmediate` in
 * Node.js; elsewhere (a page, a Web Worker) a MessageChannel message, which, unlike a nested
 * `setTimeout(0)`, is not clamped to 4 ms.
 */
function nextTurn(): Promise<void> {
  if (typeof setImmediate === 'function') {
    return new Promise((resolve) => setImmediate(resolve));
  }
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.addEventListener('message', () => {
      port1.close();
      resolve();
    });
    port1.start();
    port2.postMessage(undefined);
  });
}

/** Options of `fitAsync`: `fit`'s, plus how often to let the event loop run. */
export interface FitAsyncOptions extends FitOptions {
  /** Yield to the event loop after at most this many milliseconds of training. Default 50. */
  yieldEveryMs?: number;
}

/**
 * `fit` that yields to the event loop between epochs every `yieldEveryMs`, so a progress display
 * can redraw and a Ctrl-C handler (or a page's stop button) can abort `signal`. Runs in Node.js,
 * a page and a Web Worker. Same results, bit for bit, as `fit`.
 */
export async function fitAsync(
  network: Network,
  train: Dataset,
  validation: Dataset,
  options: FitAsyncOptions,
): Promise<History> {
  const run = new TrainingRun(network, train, validation, options);
  const every = options.yieldEveryMs ?? 50;
  let last = performance.now();
  try {
    while (!run.done) {
      run.step();
      if (performance.now() - last >= every) {
        await nextTurn();
        last = performance.now();
      }
    }
  } catch (error) {
    run.finish(); // as in `fit`: the network ends on its best weights whatever stopped the run
    throw error;
  }
  return run.finish();
}
