import { CaseStore } from '../../analyzers/store/caseStore';
import { listSources } from '../../analyzers/store/sources';
import { formatNumber, formatTable } from '../output/table';
import { parseCommandArgs, requireCase, type Command } from './registry';

const USAGE = `Usage: cloudsift sources --case <file> [--json]
  The chain of custody: every input file with its size, SHA-256, kind,
  records imported and rejected, and its time span.`;

export const sourcesCommand: Command = {
  name: 'sources',
  summary: 'list the input files of a case (chain of custody)',
  usage: USAGE,
  async run(args) {
    const { values } = parseCommandArgs(args, { case: { type: 'string' }, json: { type: 'boolean' } }, false);
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const store = await CaseStore.open(requireCase(values), { readOnly: true });
    try {
      const rows = await listSources(store);
      if (values.json) {
        process.stdout.write(`${JSON.stringify(rows)}\n`);
        return 0;
      }
      process.stdout.write(
        `${formatTable(
          ['id', 'path', 'kind', 'status', 'size', 'sha256', 'imported', 'dup', 'rejected', 'first event', 'last event'],
          rows.map((r) => [r.source_file_id, r.path, r.kind, r.status, formatNumber(r.size), r.sha256.slice(0, 16), formatNumber(r.records_imported), formatNumber(r.records_duplicate), formatNumber(r.records_rejected), r.first_event_time ?? '', r.last_event_time ?? '']),
          ['r', 'l', 'l', 'l', 'r', 'l', 'r', 'r', 'r', 'l', 'l'],
        )}\n`,
      );
      return 0;
    } finally {
      await store.close();
    }
  },
};
