import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importPaths } from '../../../analyzers/importers/importRun';
import { runInvestigations } from '../../../analyzers/investigations/runInvestigations';
import { SEVERITIES } from '../../../analyzers/investigations/ruleFile';
import type { Finding } from '../../../analyzers/investigations/findingsApi';
import { withCase } from '../../helpers/tempCase';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ATTACKER = '198.51.100.23';
const STOLEN_SESSION = 'arn:aws:sts::123456789012:assumed-role/acme-web-app-role/i-0a3f7c2e9b1d4e856';
const BACKDOOR = 'arn:aws:iam::123456789012:user/svc-backup-sync';

/**
 * The demo incident of sample-logs/README.md, step by step: the investigation
 * that must report it, the ATT&CK techniques it carries, when it starts and
 * who it names. In story order, which is also the order of first_seen.
 */
const STEPS: { step: string; id: string; techniques: string[]; firstSeen: string; principal?: string }[] = [
  { step: 'SSRF through the load balancer to the metadata service', id: 'CS-ELB-005', techniques: ['T1190', 'T1552.005'], firstSeen: '2025-03-19T09:10:58.011141Z' },
  { step: 'instance role credentials fetched through the load balancer', id: 'CS-ELB-014', techniques: ['T1552.005', 'T1190'], firstSeen: '2025-03-19T09:11:26.014237Z' },
  { step: 'instance role credentials used from the attacker address', id: 'CS-CT-025', techniques: ['T1552.005', 'T1078.004'], firstSeen: '2025-03-19T09:16:05Z', principal: STOLEN_SESSION },
  { step: 'backdoor user gets an access key', id: 'CS-CT-015', techniques: ['T1098.001'], firstSeen: '2025-03-19T09:27:38Z', principal: BACKDOOR },
  { step: 'backdoor user gets AdministratorAccess', id: 'CS-CT-018', techniques: ['T1098.003'], firstSeen: '2025-03-19T09:27:55Z', principal: BACKDOOR },
  { step: 'backdoor user gets a console password', id: 'CS-CT-016', techniques: ['T1098'], firstSeen: '2025-03-19T09:28:14Z', principal: BACKDOOR },
  { step: 'StopLogging on the trail', id: 'CS-CT-001', techniques: ['T1562.008'], firstSeen: '2025-03-19T09:33:47Z', principal: BACKDOOR },
  { step: 'mass download of acme-customer-data during the gap', id: 'CS-S3-001', techniques: ['T1530', 'T1537'], firstSeen: '2025-03-19T09:38:25Z', principal: BACKDOOR },
  { step: 'GPU instances in a region never used', id: 'CS-CT-007', techniques: ['T1496'], firstSeen: '2025-03-19T10:57:30Z', principal: BACKDOOR },
  { step: 'every secret read in 90 seconds', id: 'CS-CT-048', techniques: ['T1555.006'], firstSeen: '2025-03-19T11:08:10Z', principal: BACKDOOR },
  { step: 'bucket policy opened to everyone', id: 'CS-CT-029', techniques: ['T1537', 'T1530'], firstSeen: '2025-03-19T11:31:40Z', principal: BACKDOOR },
  { step: 'anonymous downloads of the now public exports', id: 'CS-S3-003', techniques: ['T1530', 'T1567'], firstSeen: '2025-03-19T11:36:00Z' },
];

const rank = (f: Finding): number => SEVERITIES.indexOf(f.severity);

test('the sample-logs incident is found step by step, with its ATT&CK techniques, and ranks at the top', async () => {
  await withCase(async (store) => {
    const summary = await importPaths(store, [path.join(root, 'sample-logs')]);
    assert.equal(summary.rejected, 0);
    const run = await runInvestigations(store);
    assert.deepEqual(run.rules.filter((r) => r.error), []);
    const findings = run.findings;

    const found = STEPS.map((s) => {
      const f = findings.filter((x) => x.id === s.id);
      assert.equal(f.length, 1, `${s.step}: one ${s.id} finding, got ${f.length}`);
      return { s, f: f[0] };
    });
    for (const { s, f } of found) {
      assert.deepEqual(f.attack, s.techniques, `${s.step}: ${s.id} techniques`);
      assert.equal(f.first_seen, s.firstSeen, `${s.step}: ${s.id} first seen`);
      assert.ok(f.entities.ips.includes(ATTACKER), `${s.step}: ${s.id} names the attacker address`);
      if (s.principal) assert.ok(f.entities.principals.includes(s.principal), `${s.step}: ${s.id} names ${s.principal}`);
      assert.ok(f.severity === 'critical' || f.severity === 'high', `${s.step}: ${s.id} is ${f.severity}`);
      assert.ok(f.evidence.length > 0, `${s.step}: ${s.id} has evidence`);
    }
    assert.deepEqual(found.map(({ f }) => f.first_seen), [...found.map(({ f }) => f.first_seen)].sort(), 'the steps follow the story in time');
    assert.deepEqual(found.find(({ s }) => s.id === 'CS-CT-001')?.f.tactics, ['TA0005']);

    // Ranked: every step comes before any medium, low or info finding, and every critical one is about the intrusion.
    const firstBelowHigh = findings.findIndex((f) => rank(f) > SEVERITIES.indexOf('high'));
    assert.ok(firstBelowHigh > 0);
    for (const { s, f } of found) assert.ok(findings.indexOf(f) < firstBelowHigh, `${s.id} ranks above the medium findings`);
    const critical = findings.filter((f) => f.severity === 'critical');
    assert.equal(findings.slice(0, critical.length).every((f) => f.severity === 'critical'), true);
    assert.ok(critical.length >= 5);
    for (const f of critical) assert.ok(f.entities.ips.includes(ATTACKER), `critical ${f.id} is about the attacker`);
    assert.ok(critical.some((f) => f.id === 'CS-CT-001'));
  });
});
