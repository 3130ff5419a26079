// v8oracle.js reads JSON lines, each a JSON string holding one source
// text, and writes one JSON line per input: {"sha256": hex of the UTF-8
// source, "ok": whether new vm.Script(source) compiled, "error": the
// constructor name of what it threw ("SyntaxError", or "RangeError" when
// the nesting exhausted V8's stack)}.
//
// Usage: node v8oracle.js < inputs.jsonl > answers.jsonl
'use strict';
const vm = require('vm');
const crypto = require('crypto');
const readline = require('readline');

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  if (line === '') return;
  const src = JSON.parse(line);
  const sha256 = crypto.createHash('sha256').update(Buffer.from(src, 'utf8')).digest('hex');
  let ok = true;
  let error = '';
  try {
    new vm.Script(src);
  } catch (e) {
    ok = false;
    error = e && e.constructor ? e.constructor.name : String(e);
  }
  process.stdout.write(JSON.stringify({ sha256, ok, error }) + '\n');
});
