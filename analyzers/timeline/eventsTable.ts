import type { CaseStore } from '../store/caseStore';

/**
 * The unified events table: every record of every source in one time-ordered
 * table with common columns, so that "what happened between 02:10 and 04:30"
 * is one paged query. It is derived data, rebuilt when an import has added
 * records since it was built, and stored sorted by time so that zone maps
 * make a time-range page cheap on millions of rows.
 *
 * Outcome is one of success, denied, error, reject.
 */
export const EVENTS_TABLE = 'unified_events';
/**
 * Per address, its events by source and first and last time, built with the
 * unified table: an entity profile shows this for two dozen related
 * addresses, and counting it live for busy ones reads most of the table.
 */
export const IP_ACTIVITY_TABLE = 'unified_ip_activity';

/** Each event counts once for each address at either end: as the source, and as the destination when that differs. */
export const IP_ACTIVITY_SELECT = (relation: string, ipFilter: (col: string) => string): string => `
SELECT ip, count(*) FILTER (WHERE source = 'cloudtrail') AS cloudtrail, count(*) FILTER (WHERE source = 'elb') AS elb,
       count(*) FILTER (WHERE source = 'vpc_flow') AS vpc_flow, count(*) FILTER (WHERE source = 's3_access') AS s3_access,
       min(time) AS first, max(time) AS last
FROM (SELECT src_ip AS ip, source, time FROM ${relation} WHERE ${ipFilter('src_ip')}
      UNION ALL
      SELECT dst_ip AS ip, source, time FROM ${relation} WHERE ${ipFilter('dst_ip')} AND src_ip IS DISTINCT FROM dst_ip)
GROUP BY ip`;

const CLOUDTRAIL = `
SELECT event_time AS time, 'cloudtrail' AS source,
  coalesce(user_arn, principal_id, user_name, user_type) AS actor,
  access_key_id AS access_key,
  event_source || ':' || event_name AS action,
  coalesce(list_filter(json_extract_string(raw, ['$.requestParameters.bucketName', '$.requestParameters.userName',
      '$.requestParameters.roleName', '$.requestParameters.roleArn', '$.requestParameters.name', '$.requestParameters.groupId',
      '$.requestParameters.secretId', '$.requestParameters.keyId', '$.requestParameters.policyArn',
      '$.requestParameters.instancesSet.items[0].instanceId', '$.requestParameters.instanceId',
      '$.requestParameters.functionName', '$.requestParameters.trailName']), x -> x IS NOT NULL)[1], event_source) AS target,
  CASE WHEN regexp_full_match(source_ip, '[0-9.]+|[0-9a-fA-F:]+') THEN source_ip END AS src_ip,
  NULL::VARCHAR AS dst_ip, NULL::INTEGER AS src_port, NULL::INTEGER AS dst_port,
  CASE WHEN error_code IS NULL THEN 'success'
       WHEN error_code ILIKE '%AccessDenied%' OR error_code ILIKE '%Unauthorized%' OR error_code ILIKE '%Forbidden%' THEN 'denied'
       ELSE 'error' END AS outcome,
  concat_ws(' ', event_name, 'by', coalesce(user_arn, user_type, '?'), 'from', source_ip,
            CASE WHEN error_code IS NOT NULL THEN '(' || error_code || ')' END, 'in', aws_region) AS summary,
  recipient_account_id AS account, aws_region AS region,
  CASE WHEN session_name LIKE 'i-%' THEN session_name END AS instance, NULL::VARCHAR AS eni,
  'cloudtrail' AS tbl, source_file_id, record_index
FROM cloudtrail`;

const VPC = `
SELECT event_time AS time, 'vpc_flow' AS source,
  srcaddr AS actor, NULL AS access_key,
  'flow:' || coalesce(action, log_status) AS action,
  dstaddr || ':' || coalesce(dstport::VARCHAR, '-') AS target,
  srcaddr AS src_ip, dstaddr AS dst_ip, srcport AS src_port, dstport AS dst_port,
  CASE WHEN action = 'REJECT' THEN 'reject' ELSE 'success' END AS outcome,
  concat_ws(' ', coalesce(action, log_status), srcaddr || ':' || coalesce(srcport::VARCHAR, '-'), '->',
            dstaddr || ':' || coalesce(dstport::VARCHAR, '-'), 'proto', protocol::VARCHAR,
            bytes::VARCHAR || ' bytes', 'on', interface_id) AS summary,
  account_id AS account, region,
  CASE WHEN instance_id LIKE 'i-%' THEN instance_id END AS instance, interface_id AS eni,
  'vpc_flow' AS tbl, source_file_id, record_index
FROM vpc_flow WHERE event_time IS NOT NULL`;

const ELB = `
SELECT event_time AS time, 'elb' AS source,
  client_ip AS actor, NULL AS access_key,
  lb_type || ':' || coalesce(http_method, request_type, 'connection') AS action,
  coalesce(url, domain_name, elb) AS target,
  client_ip AS src_ip, target_ip AS dst_ip, client_port AS src_port, target_port AS dst_port,
  CASE WHEN elb_status_code IS NULL OR elb_status_code < 400 THEN 'success'
       WHEN elb_status_code IN (401, 403) THEN 'denied' ELSE 'error' END AS outcome,
  concat_ws(' ', client_ip, coalesce(http_method, request_type), coalesce(url, ''), '->',
            coalesce(elb_status_code::VARCHAR, ''), coalesce('"' || user_agent || '"', '')) AS summary,
  NULL AS account, NULL AS region, NULL AS instance, NULL AS eni,
  'elb' AS tbl, source_file_id, record_index
FROM elb WHERE event_time IS NOT NULL`;

const S3 = `
SELECT event_time AS time, 's3_access' AS source,
  coalesce(nullif(requester, '-'), 'anonymous') AS actor, NULL AS access_key,
  's3:' || operation AS action,
  bucket || coalesce('/' || key, '') AS target,
  remote_ip AS src_ip, NULL AS dst_ip, NULL AS src_port, NULL AS dst_port,
  CASE WHEN http_status IS NULL OR http_status < 400 THEN 'success'
       WHEN http_status IN (401, 403) THEN 'denied' ELSE 'error' END AS outcome,
  concat_ws(' ', operation, bucket || coalesce('/' || key, ''), 'by', coalesce(nullif(requester, '-'), 'anonymous'),
            'from', remote_ip, '->', http_status::VARCHAR) AS summary,
  bucket_owner AS account, NULL AS region, NULL AS instance, NULL AS eni,
  's3_access' AS tbl, source_file_id, record_index
FROM s3_access WHERE event_time IS NOT NULL`;

export const UNIFIED_SELECT = [CLOUDTRAIL, VPC, ELB, S3].join('\nUNION ALL BY NAME\n');

/** Rebuild the unified table when records were imported after it was built; returns whether it rebuilt. */
export async function ensureEventsTable(store: CaseStore): Promise<boolean> {
  const state = await store.one<{ built: string | null; latest: string | null }>(
    `SELECT (SELECT value FROM cloudsift_meta WHERE key = 'unified_events_import') AS built,
            (SELECT max(import_id)::VARCHAR FROM imports) AS latest`,
  );
  const exists = await store.one(`SELECT 1 AS x FROM duckdb_tables() WHERE database_name = current_database() AND table_name = $1`, [EVENTS_TABLE]);
  if (exists && state?.built === (state?.latest ?? 'none')) return false;
  if (store.readOnly) return false;
  await store.run('BEGIN TRANSACTION');
  try {
    await buildEventsTable(store, 'TABLE');
    await store.run(`INSERT OR REPLACE INTO cloudsift_meta VALUES ('unified_events_import', $1)`, [state?.latest ?? 'none']);
    await store.run('COMMIT');
  } catch (e) {
    await store.run('ROLLBACK');
    throw e;
  }
  return true;
}

/**
 * Rows sorted at a time while building. Sorting every row of a large case at
 * once does not fit in the case's memory (7M rows of the bench ran out of
 * 1.5 GB), so the table is built in slices of time, each sorted on its own
 * and appended in order: rowids still follow time.
 */
export const BUILD_SLICE_ROWS = 1_000_000;
const ORDER = 'ORDER BY time, tbl, source_file_id, record_index';

/** (Re)create the unified table, as a table of the case or a temp table of this connection, slice by slice. */
export async function buildEventsTable(store: CaseStore, kind: 'TABLE' | 'TEMP TABLE', sliceRows = BUILD_SLICE_ROWS): Promise<void> {
  await store.run(`CREATE OR REPLACE ${kind} ${EVENTS_TABLE} AS SELECT * FROM (${UNIFIED_SELECT}) LIMIT 0`);
  const bounds = await sliceStarts(store, sliceRows);
  const slices: { where: string; params: Record<string, string> }[] = [];
  for (let i = 0; i <= bounds.length; i++) {
    const conds: string[] = [];
    const params: Record<string, string> = {};
    if (i > 0) {
      conds.push(`time >= $lo::TIMESTAMPTZ`);
      params.lo = bounds[i - 1];
    }
    if (i < bounds.length) {
      conds.push(`time < $hi::TIMESTAMPTZ`);
      params.hi = bounds[i];
    }
    slices.push({ where: conds.length ? conds.join(' AND ') : 'time IS NOT NULL', params });
  }
  slices.push({ where: 'time IS NULL', params: {} });
  for (const s of slices) {
    await store.run(`INSERT INTO ${EVENTS_TABLE} SELECT * FROM (${UNIFIED_SELECT}) WHERE ${s.where} ${ORDER}`, s.params);
  }
  await store.run(`CREATE OR REPLACE ${kind} ${IP_ACTIVITY_TABLE} AS ${IP_ACTIVITY_SELECT(EVENTS_TABLE, (c) => `${c} IS NOT NULL`)} ORDER BY ip`);
}

/** Where each slice after the first begins: minute boundaries, about sliceRows rows apart. */
async function sliceStarts(store: CaseStore, sliceRows: number): Promise<string[]> {
  const minutes = await store.all<{ m: string; n: bigint }>(
    `SELECT iso(m) AS m, sum(n) AS n FROM (
       ${['cloudtrail', 'vpc_flow', 'elb', 's3_access']
         .map((t) => `SELECT date_trunc('minute', event_time) AS m, count(*) AS n FROM ${t} WHERE event_time IS NOT NULL GROUP BY 1`)
         .join(' UNION ALL ')}
     ) GROUP BY m ORDER BY m`,
  );
  const starts: string[] = [];
  let rows = 0;
  for (const { m, n } of minutes) {
    if (rows > 0 && rows + Number(n) > sliceRows) {
      starts.push(m);
      rows = 0;
    }
    rows += Number(n);
  }
  return starts;
}

/** Where the unified rows come from, for read-only stores that cannot build the table. */
export async function eventsRelation(store: CaseStore): Promise<string> {
  const exists = await store.one(`SELECT 1 AS x FROM duckdb_tables() WHERE database_name = current_database() AND table_name = $1`, [EVENTS_TABLE]);
  return exists ? EVENTS_TABLE : `(${UNIFIED_SELECT})`;
}
