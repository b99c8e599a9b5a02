import type { Channel } from '../contract';
import { caseHandlers } from './case';
import { fsHandlers } from './fs';
import { histogramHandlers } from './histogram';
import { importHandlers } from './import';
import { overviewHandlers } from './overview';
import { recordHandlers } from './record';
import { rejectsHandlers } from './rejects';
import { sourcesHandlers } from './sources';
import { tableHandlers } from './table';
import { jobsHandlers } from './jobs';
import { investigationsHandlers } from './investigations';
import { timelineHandlers } from './timeline';
import { huntsHandlers } from './hunts';
import { evidenceHandlers } from './evidence';
import type { HandlerMap } from './types';

/** Every channel of the contract has exactly one handler: a missing one fails typechecking here. */
export const HANDLERS: HandlerMap<Channel> = {
  ...caseHandlers,
  ...importHandlers,
  ...sourcesHandlers,
  ...rejectsHandlers,
  ...tableHandlers,
  ...recordHandlers,
  ...overviewHandlers,
  ...histogramHandlers,
  ...fsHandlers,
  ...jobsHandlers,
  ...investigationsHandlers,
  ...timelineHandlers,
  ...huntsHandlers,
  ...evidenceHandlers,
};
