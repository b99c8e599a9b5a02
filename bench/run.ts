/**
 * `npm run bench [-- --scale 0.1] [--no-analysis]`: import throughput and
 * footprint of the engine on 1M CloudTrail events, 5M VPC flow records and
 * 1M ALB lines (times the scale), against `zcat | jq` over the same
 * CloudTrail files; then, on one case holding all three, how long the
 * investigations, the unified events, entity profiles, the histogram and the
 * hunt pack take, against their targets.
 * Full-scale results go to bench/last-run.json, which the README quotes;
 * other scales to bench/data/, which git ignores.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_SOURCES, dataDir, ensureBenchData, type BenchSource } from './benchData';
import { formatAnalysis, formatTable, TARGETS, targetsMet, toResult, type AnalysisResult, type BenchRun, type JqResult, type SourceResult } from './report';
import type { ImportMeasurement } from './importSource';
import type { CombineMeasurement } from './combineCase';
import type { AnalysisMeasurement } from './analyzeCase';

const BENCH_ROOT = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.dirname(BENCH_ROOT);
const JQ = '/usr/bin/jq';

const TABLE_OF: Record<BenchSource, string> = { cloudtrail: 'cloudtrail', vpc: 'vpc_flow', alb: 'elb' };

interface Args {
  scale: number;
  analysis: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { scale: 1, analysis: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--scale' && argv[i + 1]) args.scale = Number(argv[++i]);
    else if (argv[i] === '--no-analysis') args.analysis = false;
    else throw new Error(`unknown argument ${argv[i]}; usage: run.ts [--scale 0.1] [--no-analysis]`);
  }
  if (!(args.scale > 0 && args.scale <= 10)) throw new Error('--scale takes a number in (0, 10]');
  return args;
}

const log = (msg: string): void => console.log(msg);

/** Runs a bench script in a child process of its own and parses the JSON line it prints last. */
function runChild<T>(script: string, args: string[], what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(BENCH_ROOT, script), ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop();
      if (code !== 0 || !last) reject(new Error(`${what} failed (exit ${code})`));
      else resolve(JSON.parse(last) as T);
    });
  });
}

const importInChild = (dir: string, dbFile: string): Promise<ImportMeasurement> =>
  runChild<ImportMeasurement>('importSource.ts', [dir, dbFile], `import of ${dir}`);

async function analyze(casesDir: string, dirs: Record<BenchSource, string>): Promise<AnalysisResult> {
  const combined = path.join(casesDir, 'combined.duckdb');
  log('combining: importing vpc and alb into a copy of the CloudTrail case...');
  const c = await runChild<CombineMeasurement>('combineCase.ts', [path.join(casesDir, 'cloudtrail.duckdb'), combined, dirs.vpc, dirs.alb], 'combining the case');
  log('analysis: investigations, events pages, entity profiles, histograms, hunt pack...');
  const loadBefore = os.loadavg()[0];
  const a = await runChild<AnalysisMeasurement>('analyzeCase.ts', [combined], 'the analysis');
  return {
    combinedCase: { how: 'a copy of the CloudTrail case with vpc and alb imported into it', seconds: Number(c.seconds.toFixed(2)), records: c.records, dbBytes: c.dbBytes },
    loadAverage: { before: Number(loadBefore.toFixed(2)), after: Number(os.loadavg()[0].toFixed(2)) },
    ...a,
    targets: TARGETS,
    met: targetsMet(a),
  };
}

function timeJq(files: string[], importSeconds: number): JqResult {
  if (!fs.existsSync(JQ)) return { measured: false, note: `${JQ} not found; install it with: apt-get install -y jq` };
  const list = path.join(os.tmpdir(), `cloudsift-bench-jq-${process.pid}.txt`);
  fs.writeFileSync(list, files.join('\0'));
  const started = performance.now();
  const r = spawnSync('bash', ['-c', `set -o pipefail; xargs -0 zcat < "$1" | ${JQ} -c '.Records[]' > /dev/null`, 'bash', list], { stdio: ['ignore', 'ignore', 'pipe'] });
  const seconds = (performance.now() - started) / 1000;
  fs.rmSync(list, { force: true });
  if (r.status !== 0) return { measured: false, note: `zcat | jq failed (exit ${r.status}): ${r.stderr.toString().trim()}` };
  return { measured: true, seconds: Number(seconds.toFixed(2)), importToJqRatio: Number((importSeconds / seconds).toFixed(2)) };
}

async function main(): Promise<void> {
  const { scale, analysis: withAnalysis } = parseArgs(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const loadBefore = os.loadavg()[0];
  const manifest = await ensureBenchData(BENCH_ROOT, scale, log);
  const casesDir = path.join(dataDir(BENCH_ROOT, scale), 'cases');
  fs.mkdirSync(casesDir, { recursive: true });
  const sources: SourceResult[] = [];
  for (const source of BENCH_SOURCES) {
    const data = manifest.sources[source];
    log(`importing ${source} (${data.records.toLocaleString('en-US')} records, ${data.files} files)...`);
    const m = await importInChild(data.dir, path.join(casesDir, `${source}.duckdb`));
    const table = TABLE_OF[source];
    const records = m.records[table] ?? 0;
    if (records + m.rejected !== data.records) log(`  warning: ${records} imported + ${m.rejected} rejected, ${data.records} generated`);
    sources.push(toResult(source, table, { ...m, records }, data));
  }
  const ct = sources.find((s) => s.source === 'cloudtrail')!;
  log('timing zcat | jq over the CloudTrail files...');
  const jq = timeJq(manifest.sources.cloudtrail.paths, ct.seconds);
  const analysis = withAnalysis
    ? await analyze(casesDir, { cloudtrail: manifest.sources.cloudtrail.dir, vpc: manifest.sources.vpc.dir, alb: manifest.sources.alb.dir })
    : undefined;
  const cpus = os.cpus();
  const run: BenchRun = {
    scale,
    startedAt,
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
      memoryGB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
    },
    loadAverage: { before: Number(loadBefore.toFixed(2)), after: Number(os.loadavg()[0].toFixed(2)) },
    generationSeconds: Number(manifest.generationSeconds.toFixed(1)),
    sources,
    jq,
    ...(analysis ? { analysis } : {}),
  };
  log('');
  log(formatTable(run));
  if (run.analysis) log(`\n${formatAnalysis(run.analysis)}`);
  if (run.loadAverage.before > cpus.length || run.loadAverage.after > cpus.length) {
    log(`\nnote: load average ${run.loadAverage.before} before, ${run.loadAverage.after} after, on ${cpus.length} cores: other work skewed these numbers`);
  }
  const out = scale === 1 ? path.join(BENCH_ROOT, 'last-run.json') : path.join(BENCH_ROOT, 'data', `last-run-scale-${scale}.json`);
  fs.writeFileSync(out, JSON.stringify(run, null, 2) + '\n');
  log(`\nwrote ${path.relative(REPO_ROOT, out)}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
