/**
 * Records of AWS kinds that Cloudsift keeps verbatim (GuardDuty findings, WAF
 * logs, EventBridge events, CloudWatch messages in no known format). Each
 * keeps its own time where it has one.
 */
const EVENT_TIME = `CASE other_kind
    WHEN 'guardduty' THEN TRY_CAST(coalesce(try(raw->>'updatedAt'), try(raw->>'createdAt')) AS TIMESTAMPTZ)
    WHEN 'waf' THEN to_timestamp(TRY_CAST(try(raw->>'timestamp') AS BIGINT) / 1000.0)
    WHEN 'eventbridge' THEN TRY_CAST(try(raw->>'time') AS TIMESTAMPTZ)
    ELSE to_timestamp(envelope_time / 1000.0) END`;

/** Insert the other records among `decoded`, staged records decoded with their ok flag (JsonStager.decodedRecords). */
export function otherInsert(decoded: string): string {
  return `
INSERT INTO other_records (source_file_id, record_index, kind, event_time, raw)
SELECT source_file_id, record_index, other_kind, ${EVENT_TIME}, raw
FROM ${decoded} WHERE target = 'other_records' AND (ok OR (other_kind = 'cloudwatch' AND raw IS NOT NULL))`;
}
