#!/usr/bin/env node
import { run } from './main.js';

// `roster … | head` closes stdout early: that is the reader's choice, not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await run(process.argv.slice(2));
