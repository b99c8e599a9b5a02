import { STAGE_JSON } from './jsonStage';

/**
 * Records of AWS kinds that Cloudsift keeps verbatim (GuardDuty findings, WAF
 * logs, EventBridge events, CloudWatch messages in no known format). Each
 * keeps its own time where it has one.
 */
const VALID = `raw IS NOT NULL AND (other_kind = 'cloudwatch' OR (json_valid(raw) AND try(json_type(raw)) = 'OBJECT'))`;

const EVENT_TIME = `CASE other_kind
    WHEN 'guardduty' THEN TRY_CAST(coalesce(try(raw->>'updatedAt'), try(raw->>'createdAt')) AS TIMESTAMPTZ)
    WHEN 'waf' THEN to_timestamp(TRY_CAST(try(raw->>'timestamp') AS BIGINT) / 1000.0)
    WHEN 'eventbridge' THEN TRY_CAST(try(raw->>'time') AS TIMESTAMPTZ)
    ELSE to_timestamp(envelope_time / 1000.0) END`;

export const OTHER_INSERT = `
INSERT INTO other_records (source_file_id, record_index, kind, event_time, raw)
SELECT source_file_id, record_index, other_kind, ${EVENT_TIME}, raw
FROM (SELECT source_file_id, record_index, other_kind, envelope_time, try(decode(raw)) AS raw FROM ${STAGE_JSON} WHERE target = 'other_records')
WHERE ${VALID}`;

export const OTHER_REJECTS = `
SELECT source_file_id, record_index, raw, CASE WHEN raw IS NULL THEN 'invalid UTF-8' ELSE 'invalid JSON' END AS reason
FROM (SELECT source_file_id, record_index, other_kind, try(decode(raw)) AS raw FROM ${STAGE_JSON} WHERE target = 'other_records')
WHERE NOT (${VALID})`;
