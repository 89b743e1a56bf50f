#!/usr/bin/env node
/**
 * @module
 * The `leanml` executable.
 */
import { runCli } from './run.js';

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
