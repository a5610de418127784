import { ModelError } from './errors.js';
import { Network } from './network.js';
import type { NetworkParameters } from './network.js';

/** The `format` tag of a saved model. */
export const MODEL_FORMAT = 'scratchnet-model';
/** The format version `saveModel` writes and `loadModel` reads. */
export const MODEL_VERSION = 1;

/** A saved model: plain JSON, versioned. */
export interface ModelJSON {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  /** The architecture line, for people reading the file (ignored when loading). */
  summary: string;
  /** Task, activations, weights and biases. */
  network: NetworkParameters;
  /** Whatever the caller attached, e.g. the fit options. */
  training?: unknown;
  /** Whatever the caller attached, e.g. encoder and scaler state. */
  preprocessing?: unknown;
  /** Whatever the caller attached, e.g. the training history. */
  history?: unknown;
}

/** What the caller may attach to a saved model; stored as given. */
export interface ModelExtras {
  training?: unknown;
  preprocessing?: unknown;
  history?: unknown;
}

/** A loaded model: the rebuilt network and what was attached to it. */
export interface LoadedModel extends ModelExtras {
  network: Network;
}

/**
 * The network (and what the caller attaches) as versioned JSON-ready data. `JSON.stringify` of it
 * round-trips every weight exactly: JavaScript prints the shortest decimal that reads back to the
 * same double.
 */
export function saveModel(network: Network, extra: ModelExtras = {}): ModelJSON {
  const json: ModelJSON = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    summary: network.summary(),
    network: network.parameters(),
  };
  if (extra.training !== undefined) json.training = extra.training;
  if (extra.preprocessing !== undefined) json.preprocessing = extra.preprocessing;
  if (extra.history !== undefined) json.history = extra.history;
  return json;
}

/**
 * Rebuilds a saved model from its JSON text or parsed value. Checks the format tag, the version,
 * every shape and that every number is finite; throws `ModelError` whose `code` says which check
 * failed and whose message names the field.
 */
export function loadModel(json: unknown): LoadedModel {
  let value = json;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (error) {
      throw new ModelError(
        'NOT_A_MODEL',
        `not a model: the text is not JSON (${(error as Error).message})`,
      );
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ModelError(
      'NOT_A_MODEL',
      `not a model: expected an object, got ${Array.isArray(value) ? 'an array' : String(value)}`,
    );
  }
  const record = value as Record<string, unknown>;
  if (record.format !== MODEL_FORMAT) {
    throw new ModelError(
      'NOT_A_MODEL',
      `not a model: format is ${JSON.stringify(record.format) ?? 'missing'}, expected '${MODEL_FORMAT}'`,
    );
  }
  if (record.version !== MODEL_VERSION) {
    throw new ModelError(
      'UNSUPPORTED_VERSION',
      `model format version ${JSON.stringify(record.version) ?? 'missing'} is not supported; this package reads version ${MODEL_VERSION}`,
    );
  }
  let network: Network;
  try {
    network = Network.fromParameters(record.network as NetworkParameters);
  } catch (error) {
    if (error instanceof ModelError) throw new ModelError(error.code, `network: ${error.message}`);
    throw error;
  }
  const loaded: LoadedModel = { network };
  if (record.training !== undefined) loaded.training = record.training;
  if (record.preprocessing !== undefined) loaded.preprocessing = record.preprocessing;
  if (record.history !== undefined) loaded.history = record.history;
  return loaded;
}
