#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so `npx cloudsift` works from a clone with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../main.ts');
process.exitCode = await main(process.argv.slice(2));
