// What the bench ran on: CPU, cores (onnxruntime's default thread count is the physical core count), memory.
'use strict';
const fs = require('fs');
const os = require('os');

/** Distinct (physical id, core id) pairs in /proc/cpuinfo; falls back to the logical CPU count. */
function physicalCores() {
  try {
    const cores = new Set();
    for (const block of fs.readFileSync('/proc/cpuinfo', 'utf8').split('\n\n')) {
      const socket = /^physical id\s*:\s*(\d+)/m.exec(block);
      const core = /^core id\s*:\s*(\d+)/m.exec(block);
      if (socket && core) cores.add(`${socket[1]}:${core[1]}`);
    }
    if (cores.size > 0) return cores.size;
  } catch {
    // Not Linux: the logical count is the best guess.
  }
  return os.cpus().length;
}

function describeMachine() {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    logicalCpus: os.cpus().length,
    physicalCores: physicalCores(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    onnxruntimeNode: require('onnxruntime-node/package.json').version,
  };
}

module.exports = { physicalCores, describeMachine };
