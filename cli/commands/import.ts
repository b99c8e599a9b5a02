import fs from 'node:fs';
import { CaseStore } from '../../analyzers/store/caseStore';
import { importPaths, type ImportSummary } from '../../analyzers/importers/importRun';
import { ProgressBar } from '../output/progressBar';
import { formatNumber, formatTable } from '../output/table';
import { parseCommandArgs, requireCase, UsageError, type Command } from './registry';

const USAGE = `Usage: cloudsift import <path>... --case <file> [--json] [--vpc-layout <fields or file>]...
  <path>         files, folders (walked recursively), .gz, .zip, .tar.gz
  --case         the case file (created if missing)
  --json         print the summary as one JSON object
  --vpc-layout   field order for VPC flow files without a header line: the
                 field names separated by spaces, or a file holding that line`;

export const importCommand: Command = {
  name: 'import',
  summary: 'import logs into a case (files, folders, archives)',
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      case: { type: 'string' },
      json: { type: 'boolean' },
      'vpc-layout': { type: 'string', multiple: true },
    });
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const casePath = requireCase(values);
    if (positionals.length === 0) throw new UsageError('give at least one path to import');
    const vpcLayouts = (values['vpc-layout'] ?? []).map((v) => (fs.existsSync(v) ? fs.readFileSync(v, 'utf8').trim().split('\n')[0] : v));
    const store = await CaseStore.open(casePath);
    const bar = new ProgressBar();
    let summary: ImportSummary;
    try {
      summary = await importPaths(store, positionals, { vpcLayouts, onProgress: (p) => bar.update(p) });
    } finally {
      bar.done();
      await store.close();
    }
    if (summary.missing.length > 0 && summary.files === 0 && summary.skippedFiles === 0) {
      throw new Error(`no such file or folder: ${summary.missing.join(', ')}`);
    }
    if (values.json) {
      process.stdout.write(`${JSON.stringify(summaryJson(summary))}\n`);
    } else {
      process.stdout.write(`${summaryText(summary)}\n`);
    }
    return summary.rejected > 0 || summary.rejectedFiles > 0 || summary.missing.length > 0 ? 2 : 0;
  },
};

export function summaryJson(s: ImportSummary) {
  const total = Object.values(s.records).reduce((a, b) => a + b, 0);
  return {
    import_id: s.importId,
    files: s.files,
    files_by_kind: s.filesByKind,
    skipped_files: s.skippedFiles,
    records: s.records,
    records_total: total,
    duplicates: s.duplicates,
    rejected: s.rejected,
    rejected_files: s.rejectedFiles,
    missing: s.missing,
    ignored: s.ignored,
    bytes: s.bytes,
    seconds: s.seconds,
    records_per_second: s.seconds > 0 ? Math.round(total / s.seconds) : null,
    mb_per_second: s.seconds > 0 ? Number((s.bytes / 1e6 / s.seconds).toFixed(2)) : null,
  };
}

function summaryText(s: ImportSummary): string {
  const total = Object.values(s.records).reduce((a, b) => a + b, 0);
  const kinds = Object.entries(s.filesByKind).sort((a, b) => b[1] - a[1]);
  const tables = Object.entries(s.records).filter(([, n]) => n > 0);
  const parts = [
    formatTable(['files by kind', 'files'], kinds.map(([k, n]) => [k, formatNumber(n)]), ['l', 'r']),
    '',
    formatTable(['table', 'records'], [...tables.map(([t, n]) => [t, formatNumber(n)]), ['total', formatNumber(total)]], ['l', 'r']),
    '',
    `${formatNumber(s.files)} files read, ${formatNumber(s.skippedFiles)} already in the case; ${formatNumber(s.duplicates)} duplicate records linked.`,
    `${formatNumber(s.rejected)} records and ${formatNumber(s.rejectedFiles)} files rejected${s.rejected + s.rejectedFiles > 0 ? " (see 'cloudsift sources' and the rejects table)" : ''}.`,
    `${(s.bytes / 1e6).toFixed(1)} MB in ${s.seconds.toFixed(2)} s: ${formatNumber(Math.round(total / Math.max(s.seconds, 0.001)))} records/s, ${(s.bytes / 1e6 / Math.max(s.seconds, 0.001)).toFixed(1)} MB/s.`,
  ];
  if (s.missing.length > 0) parts.push(`Not found: ${s.missing.join(', ')}`);
  if (s.ignored.length > 0) parts.push(`Left out by .cloudsiftignore: ${s.ignored.length} paths (${s.ignored.slice(0, 5).join(', ')}${s.ignored.length > 5 ? ', ...' : ''})`);
  return parts.join('\n');
}
