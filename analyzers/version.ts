import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Recorded with every source, import and export, so results can be traced to the build that made them. */
export const TOOL_VERSION: string = (require('../package.json') as { version: string }).version;
export const TOOL_NAME = 'cloudsift';
