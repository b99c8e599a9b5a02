import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * Helpers every investigation may call, so that "is this an IP", "is it
 * private", "is it in an allow-listed network" and "is this principal on the
 * list" mean the same thing in every rule. Plain SQL macros: DuckDB's inet
 * extension is not bundled, and an offline tool cannot download it.
 */
const MACROS: string[] = [
  `CREATE OR REPLACE TEMP MACRO cs_ipv4_int(ip) AS
     CASE WHEN regexp_full_match(ip, '(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}')
       THEN TRY_CAST(split_part(ip, '.', 1) AS BIGINT) * 16777216 + TRY_CAST(split_part(ip, '.', 2) AS BIGINT) * 65536
          + TRY_CAST(split_part(ip, '.', 3) AS BIGINT) * 256 + TRY_CAST(split_part(ip, '.', 4) AS BIGINT)
     END`,
  `CREATE OR REPLACE TEMP MACRO cs_is_ip(s) AS
     coalesce(cs_ipv4_int(s) IS NOT NULL
       OR (regexp_full_match(s, '[0-9A-Fa-f:.]+') AND s LIKE '%:%:%'), false)`,
  // The valid IPv4 CIDRs of a list as (bits to shift away, network); a list that is a constant folds once per query.
  `CREATE OR REPLACE TEMP MACRO cs_ipv4_networks(cidrs) AS
     list_transform(
       list_filter(cidrs, lambda c: contains(c, '/') AND cs_ipv4_int(split_part(c, '/', 1)) IS NOT NULL
                                    AND TRY_CAST(split_part(c, '/', 2) AS INTEGER) BETWEEN 0 AND 32),
       lambda c: {'shift': 32 - TRY_CAST(split_part(c, '/', 2) AS INTEGER),
                  'net': cs_ipv4_int(split_part(c, '/', 1)) >> (32 - TRY_CAST(split_part(c, '/', 2) AS INTEGER))})`,
  // IPv4 CIDRs by arithmetic; anything else (plain IPs, IPv6) by exact, case-blind match. Per-row work stays out
  // of the lambdas (a lambda that parses the row's address for every entry costs ~50 µs a row).
  `CREATE OR REPLACE TEMP MACRO cs_ip_in_cidrs(ip, cidrs) AS
     coalesce(list_contains(list_transform(cidrs, lambda c: lower(c)), lower(ip))
       OR len(list_filter(cs_ipv4_networks(cidrs), lambda n: (cs_ipv4_int(ip) >> n['shift']) = n['net'])) > 0, false)`,
  `CREATE OR REPLACE TEMP MACRO cs_ip_in_cidr(ip, cidr) AS cs_ip_in_cidrs(ip, [cidr])`,
  // 10/8, 172.16/12, 192.168/16, 127/8, 169.254/16 and 100.64/10 all fall on the first two octets.
  `CREATE OR REPLACE TEMP MACRO cs_is_private_ip(ip) AS
     coalesce(CASE WHEN cs_ipv4_int(ip) IS NOT NULL THEN
                CASE TRY_CAST(split_part(ip, '.', 1) AS INTEGER)
                  WHEN 10 THEN true WHEN 127 THEN true
                  WHEN 172 THEN TRY_CAST(split_part(ip, '.', 2) AS INTEGER) BETWEEN 16 AND 31
                  WHEN 192 THEN TRY_CAST(split_part(ip, '.', 2) AS INTEGER) = 168
                  WHEN 169 THEN TRY_CAST(split_part(ip, '.', 2) AS INTEGER) = 254
                  WHEN 100 THEN TRY_CAST(split_part(ip, '.', 2) AS INTEGER) BETWEEN 64 AND 127
                  ELSE false END
              ELSE list_contains(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '127.0.0.0/8', '169.254.0.0/16', '100.64.0.0/10'], lower(ip))
                OR lower(ip) = '::1' OR regexp_matches(lower(ip), '^f[cd][0-9a-f]{2}:') OR regexp_matches(lower(ip), '^fe[89ab][0-9a-f]:') END,
              false)`,
  // The name an allow-list entry means: an ARN's last path segment, or the entry itself.
  `CREATE OR REPLACE TEMP MACRO cs_principal_name(arn) AS
     CASE WHEN arn LIKE 'arn:%:assumed-role/%' THEN split_part(arn, '/', 2)
          WHEN arn LIKE 'arn:%' AND contains(arn, '/') THEN split_part(arn, '/', -1)
          ELSE arn END`,
  // An entry matches the ARN itself, or its name: any account's for a bare name, the same account's for an ARN.
  `CREATE OR REPLACE TEMP MACRO cs_principal_matches(arn, names) AS
     coalesce(list_contains(names, arn)
       OR list_contains(list_transform(list_filter(names, lambda n: n NOT LIKE 'arn:%'), lambda n: cs_principal_name(n)), cs_principal_name(arn))
       OR list_contains(list_transform(list_filter(names, lambda n: n LIKE 'arn:%'), lambda n: {'account': split_part(n, ':', 5), 'name': cs_principal_name(n)}),
                        {'account': split_part(arn, ':', 5), 'name': cs_principal_name(arn)}), false)`,
  // A JSON value that IAM allows as a string or a list of strings (Action, Resource, Principal.AWS), as a list.
  `CREATE OR REPLACE TEMP MACRO cs_json_list(j) AS
     CASE WHEN j IS NULL THEN []::VARCHAR[]
          WHEN json_type(j) = 'ARRAY' THEN json_extract_string(j, '$[*]')
          ELSE [json_extract_string(j, '$')] END`,
  `CREATE OR REPLACE TEMP MACRO cs_policy_statements(doc) AS
     CASE WHEN NOT coalesce(json_valid(doc), false) THEN []::JSON[]
          WHEN json_type(json(doc)->'Statement') = 'ARRAY' THEN json_extract(json(doc), '$.Statement[*]')
          WHEN (json(doc)->'Statement') IS NOT NULL THEN [json(doc)->'Statement']
          ELSE []::JSON[] END`,
  // Allow on every action (or every IAM action, or NotAction) over every resource: as good as administrator.
  `CREATE OR REPLACE TEMP MACRO cs_policy_grants_admin(doc) AS
     coalesce(len(list_filter(cs_policy_statements(doc), lambda st:
       (st->>'Effect') = 'Allow'
       AND ((st->'NotAction') IS NOT NULL OR len(list_filter(cs_json_list(st->'Action'), lambda a: a IN ('*', '*:*', 'iam:*'))) > 0)
       AND ((st->'NotResource') IS NOT NULL OR list_contains(cs_json_list(st->'Resource'), '*')))) > 0, false)`,
];

/** Temp macros live as long as their connection; creating them once per connection is enough. */
const prepared = new WeakSet<DuckDBConnection>();

export async function createInvestigationMacros(conn: DuckDBConnection): Promise<void> {
  if (prepared.has(conn)) return;
  for (const m of MACROS) await conn.run(m);
  prepared.add(conn);
}
