#!/usr/bin/env node
console.log('scratchnet-cli: work in progress');
