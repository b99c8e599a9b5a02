import { CaseStore } from '../../analyzers/store/caseStore';
import { runReadOnlyQuery } from '../../analyzers/query/readOnlyQuery';
import { cellText, csvCell, formatTable } from '../output/table';
import { parseCommandArgs, requireCase, UsageError, type Command } from './registry';

const USAGE = `Usage: cloudsift query --case <file> "<SQL>" [--format table|csv|json]
  Runs one read-only query on the case. The case cannot be changed and no
  file outside it can be read.`;

export const queryCommand: Command = {
  name: 'query',
  summary: 'run a read-only SQL query on a case',
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, { case: { type: 'string' }, format: { type: 'string', default: 'table' } });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const casePath = requireCase(values);
    if (positionals.length !== 1) throw new UsageError('give exactly one SQL statement (quote it)');
    const format = values.format;
    if (format !== 'table' && format !== 'csv' && format !== 'json') throw new UsageError(`unknown --format '${format}'`);
    const store = await CaseStore.open(casePath, { readOnly: true, sandbox: true });
    try {
      const { columns, rows } = await runReadOnlyQuery(store, positionals[0]);
      if (format === 'json') {
        process.stdout.write(`${JSON.stringify(rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]]))))}\n`);
      } else if (format === 'csv') {
        process.stdout.write(`${[columns.map(csvCell).join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\n')}\n`);
      } else {
        process.stdout.write(`${formatTable(columns, rows.map((r) => r.map(cellText)))}\n(${rows.length} rows)\n`);
      }
      return 0;
    } finally {
      await store.close();
    }
  },
};
