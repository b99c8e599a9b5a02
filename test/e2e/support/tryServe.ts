import { startServer } from '../../../analyzers/server/httpServer';

/** Asks startServer for a bind the suite expects it to refuse; prints what happened as JSON. */
const [casePath, host] = process.argv.slice(2);
try {
  const s = await startServer({ casePath, host });
  await s.close();
  process.stdout.write(JSON.stringify({ started: true }));
} catch (err) {
  process.stdout.write(JSON.stringify({ started: false, code: (err as { code?: string }).code ?? null, message: err instanceof Error ? err.message : String(err) }));
}
