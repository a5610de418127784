#!/usr/bin/env node
console.log('scratchnet-bench: work in progress');
