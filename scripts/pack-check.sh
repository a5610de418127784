#!/usr/bin/env bash
# Proves the published packages work outside this workspace: packs every publishable package
# with `pnpm pack` (which rewrites `workspace:^` to real versions), installs the tarballs with
# plain npm into an empty project, and runs the installed CLI and library entry points there.
# Needs a prior `pnpm build`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for dir in packages/linalg packages/preprocess packages/nn packages/nn-wasm packages/metrics apps/cli; do
  (cd "$root/$dir" && pnpm pack --pack-destination "$work/tarballs" > /dev/null)
done

cd "$work"
npm init -y > /dev/null
npm install --no-audit --no-fund --loglevel=error ./tarballs/*.tgz > /dev/null

node --input-type=module -e "
  import { Matrix, matmul } from '@scratchnet/linalg';
  import { QUESTIONS, readListenersCsv } from '@scratchnet/preprocess';
  import { readListenersCsv as readFromNodeEntry } from '@scratchnet/preprocess/node';
  import { Network, fit } from '@scratchnet/nn';
  import { twoLayerEngine } from '@scratchnet/nn-wasm';
  import { accuracy } from '@scratchnet/metrics';
  const c = matmul(Matrix.fromArrays([[1, 2]]), Matrix.fromArrays([[3], [4]]));
  if (c.get(0, 0) !== 11) throw new Error('linalg: 1·3 + 2·4 should be 11');
  if (QUESTIONS.length !== 3) throw new Error('preprocess: expected three questions');
  if (readListenersCsv !== readFromNodeEntry) throw new Error('preprocess: Node gets the file reader');
  const net = Network.create({ inputSize: 2, outputSize: 2, task: 'classification', seed: 1 });
  if (net.parameterCount() <= 0) throw new Error('nn: no parameters');
  const rows = { x: Matrix.fromArrays([[1, 0], [0, 1]]), y: Matrix.fromArrays([[1, 0], [0, 1]]) };
  const h = fit(net, rows, rows, { epochs: 2, learningRate: 0.1, engine: twoLayerEngine() });
  if (h.epochsRun !== 2) throw new Error('nn-wasm: the two-layer engine did not train');
  if (accuracy([0, 1], [0, 1]) !== 1) throw new Error('metrics: accuracy');
"
./node_modules/.bin/scratchnet --version > /dev/null
./node_modules/.bin/scratchnet generate --rows 200 --seed 1 --out sample.csv --quiet
./node_modules/.bin/scratchnet questions --data sample.csv --epochs 20 --json > answers.json
node -e "const a = require('./answers.json'); if (a.questions.length !== 3) process.exit(1)"
echo "pack-check: 6 packages packed, installed with npm and run outside the workspace"
