import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance, LIST, VARCHAR, listValue, type DuckDBConnection } from '@duckdb/node-api';
import { createInvestigationMacros } from '../../../analyzers/investigations/sqlMacros';

async function connection(): Promise<DuckDBConnection> {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  await createInvestigationMacros(conn);
  return conn;
}

async function values(conn: DuckDBConnection, expr: string, inputs: string[]): Promise<Record<string, boolean | null>> {
  const rows = (await conn.runAndReadAll(`SELECT x, ${expr} AS v FROM (SELECT unnest($xs) AS x)`, { xs: listValue(inputs) }, { xs: LIST(VARCHAR) })).getRowObjectsJS();
  return Object.fromEntries(rows.map((r) => [String(r.x), r.v as boolean | null]));
}

test('cs_is_private_ip: the private, loopback, link-local and shared ranges, by octet, and IPv6 local addresses', async () => {
  const conn = await connection();
  const got = await values(conn, 'cs_is_private_ip(x)', [
    '10.0.0.1', '010.1.2.3', '172.15.255.255', '172.16.0.0', '172.31.255.255', '172.32.0.1', '192.168.4.4', '192.169.0.1',
    '127.0.0.1', '169.254.169.254', '169.253.1.1', '100.63.255.255', '100.64.0.0', '100.127.255.255', '100.128.0.0',
    '198.51.100.23', '256.1.1.1', '10.0.0', '::1', 'fd12:3456::1', 'FE80::1', 'fec0::1', '2001:db8::1', 'AWS Internal', '10.0.0.0/8',
  ]);
  assert.deepEqual(got, {
    '10.0.0.1': true, '010.1.2.3': false, '172.15.255.255': false, '172.16.0.0': true, '172.31.255.255': true, '172.32.0.1': false,
    '192.168.4.4': true, '192.169.0.1': false, '127.0.0.1': true, '169.254.169.254': true, '169.253.1.1': false,
    '100.63.255.255': false, '100.64.0.0': true, '100.127.255.255': true, '100.128.0.0': false, '198.51.100.23': false,
    '256.1.1.1': false, '10.0.0': false, '::1': true, 'fd12:3456::1': true, 'FE80::1': true, 'fec0::1': false, '2001:db8::1': false,
    'AWS Internal': false,
    // A list entry written as the address itself matches, as in every allow-list.
    '10.0.0.0/8': true,
  });
  assert.equal((await conn.runAndReadAll(`SELECT cs_is_private_ip(NULL)`)).getRows()[0][0], false);
});

test('cs_ip_in_cidrs: CIDRs by arithmetic, other entries by exact case-blind match, bad CIDRs never by arithmetic', async () => {
  const conn = await connection();
  const list = `['203.0.113.0/24', '198.51.100.23', '2001:DB8::1', '0.0.0.0/40', '10.1.0.0/16']`;
  const got = await values(conn, `cs_ip_in_cidrs(x, ${list})`, ['203.0.113.200', '203.0.114.1', '198.51.100.23', '198.51.100.24', '2001:db8::1', '10.1.255.255', '10.2.0.0', '1.2.3.4', '0.0.0.0/40']);
  assert.deepEqual(got, {
    '203.0.113.200': true, '203.0.114.1': false, '198.51.100.23': true, '198.51.100.24': false, '2001:db8::1': true,
    '10.1.255.255': true, '10.2.0.0': false, '1.2.3.4': false, '0.0.0.0/40': true,
  });
  assert.deepEqual(await values(conn, `cs_ip_in_cidrs(x, ['0.0.0.0/0'])`, ['8.8.8.8', 'not-an-ip']), { '8.8.8.8': true, 'not-an-ip': false });
  assert.deepEqual(await values(conn, `cs_ip_in_cidrs(x, [])`, ['8.8.8.8']), { '8.8.8.8': false });
  assert.deepEqual(await values(conn, `cs_ip_in_cidr(x, '10.0.0.0/8')`, ['10.9.9.9', '11.0.0.1']), { '10.9.9.9': true, '11.0.0.1': false });
});

test('the address macros work on aggregates, in HAVING, as the network rules use them', async () => {
  const conn = await connection();
  const rows = (
    await conn.runAndReadAll(
      `SELECT peer FROM (SELECT unnest(['10.0.0.5', '10.0.0.5', '203.0.113.9', '198.51.100.7']) AS peer) GROUP BY peer
        HAVING cs_is_ip(min(peer)) AND NOT cs_is_private_ip(min(peer)) AND NOT cs_ip_in_cidrs(min(peer), $admin) ORDER BY peer`,
      { admin: listValue(['198.51.100.0/24']) },
      { admin: LIST(VARCHAR) },
    )
  ).getRows();
  assert.deepEqual(rows, [['203.0.113.9']]);
});

test('cs_principal_matches: the ARN, a bare name in any account, an ARN name in its own account only', async () => {
  const conn = await connection();
  const names = `['deploy', 'arn:aws:iam::111122223333:user/alice', 'arn:aws:iam::111122223333:role/ops/Admin']`;
  const got = await values(conn, `cs_principal_matches(x, ${names})`, [
    'arn:aws:sts::999999999999:assumed-role/deploy/run-1',
    'arn:aws:iam::111122223333:user/alice',
    'arn:aws:iam::999999999999:user/alice',
    'arn:aws:sts::111122223333:assumed-role/Admin/s',
    'arn:aws:sts::999999999999:assumed-role/Admin/s',
    'arn:aws:iam::111122223333:user/bob',
    'deploy',
  ]);
  assert.deepEqual(got, {
    'arn:aws:sts::999999999999:assumed-role/deploy/run-1': true,
    'arn:aws:iam::111122223333:user/alice': true,
    'arn:aws:iam::999999999999:user/alice': false,
    'arn:aws:sts::111122223333:assumed-role/Admin/s': true,
    'arn:aws:sts::999999999999:assumed-role/Admin/s': false,
    'arn:aws:iam::111122223333:user/bob': false,
    deploy: true,
  });
  assert.equal((await conn.runAndReadAll(`SELECT cs_principal_matches(NULL, ['x']), cs_principal_matches('x', [])`)).getRows()[0].join(), 'false,false');
});
