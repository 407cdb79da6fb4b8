// Runs a CloudFront Function source on events: node run_cloudfront_function.js <source.js>
// reads a JSON array of events on stdin and prints the JSON array of results.
'use strict';
const fs = require('fs');
const vm = require('vm');

const source = fs.readFileSync(process.argv[2], 'utf8');
const context = vm.createContext({});
vm.runInContext(source, context, { filename: process.argv[2] });
const events = JSON.parse(fs.readFileSync(0, 'utf8'));
const results = events.map((event) => context.handler(event));
process.stdout.write(JSON.stringify(results));
