import { CaseStore, errorMessage } from '../analyzers/store/caseStore';
import { createApiContext } from '../analyzers/api/context';
import { dispatch } from '../analyzers/api/dispatch';
import type { FromWorker, ToWorker } from './ipc';

/**
 * The database side of one case window, in an Electron utility process: the
 * same handlers as `cloudsift serve`, so that an import or a long query never
 * blocks the window. The case path is its only argument.
 */
const port = process.parentPort;
const casePath = process.argv[2];
const post = (m: FromWorker) => port.postMessage(m);

async function main(): Promise<void> {
  if (!casePath) throw new Error('dbWorker needs a case path');
  const store = await CaseStore.open(casePath);
  const ctx = await createApiContext(store);
  port.on('message', (e) => {
    const m = e.data as ToWorker;
    if (m?.kind === 'call') {
      void dispatch(ctx, m.channel, m.request).then((result) => post({ kind: 'result', id: m.id, result }));
    } else if (m?.kind === 'close') {
      void ctx
        .close()
        .then(() => store.close())
        .finally(() => {
          post({ kind: 'closed' });
          process.exit(0);
        });
    }
  });
  post({ kind: 'ready', casePath: store.file });
}

main().catch((err) => {
  post({ kind: 'fatal', message: errorMessage(err) });
  process.exit(1);
});
