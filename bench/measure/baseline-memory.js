// Resident memory of a bare Node process that has loaded onnxruntime-node (and the tokenizer binding the engine
// also loads): what (d) is measured against.
'use strict';
const { readArgs, writeResult, memoryMB } = require('./common');

const args = readArgs();
const bare = memoryMB();
require('onnxruntime-node');
const withOrt = memoryMB();
require('tokenizers');
writeResult(args, { bare, withOrt, withOrtAndTokenizers: memoryMB() });
