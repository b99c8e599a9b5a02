/** A digest file is one JSON object; its fields are as AWS documents them. */
const SPEC = JSON.stringify({
  awsAccountId: 'VARCHAR',
  digestStartTime: 'VARCHAR',
  digestEndTime: 'VARCHAR',
  digestS3Bucket: 'VARCHAR',
  digestS3Object: 'VARCHAR',
  digestPublicKeyFingerprint: 'VARCHAR',
  digestSignatureAlgorithm: 'VARCHAR',
  newestEventTime: 'VARCHAR',
  oldestEventTime: 'VARCHAR',
  previousDigestS3Bucket: 'VARCHAR',
  previousDigestS3Object: 'VARCHAR',
  previousDigestHashValue: 'VARCHAR',
  previousDigestHashAlgorithm: 'VARCHAR',
  previousDigestSignature: 'VARCHAR',
  logFiles: 'JSON',
});

/** Insert the digests among `decoded`, staged records decoded with their ok flag (JsonStager.decodedRecords). */
export function digestsInsert(decoded: string): string {
  return `
INSERT INTO digests (source_file_id, record_index, aws_account_id, digest_start_time, digest_end_time,
  digest_s3_bucket, digest_s3_object, digest_public_key_fingerprint, digest_signature_algorithm,
  newest_event_time, oldest_event_time, previous_digest_s3_bucket, previous_digest_s3_object,
  previous_digest_hash_value, previous_digest_hash_algorithm, previous_digest_signature,
  log_file_count, log_files, content_sha256, raw)
SELECT source_file_id, record_index, d.awsAccountId, TRY_CAST(d.digestStartTime AS TIMESTAMPTZ),
  TRY_CAST(d.digestEndTime AS TIMESTAMPTZ), d.digestS3Bucket, d.digestS3Object,
  d.digestPublicKeyFingerprint, d.digestSignatureAlgorithm, TRY_CAST(d.newestEventTime AS TIMESTAMPTZ),
  TRY_CAST(d.oldestEventTime AS TIMESTAMPTZ), d.previousDigestS3Bucket, d.previousDigestS3Object,
  d.previousDigestHashValue, d.previousDigestHashAlgorithm, d.previousDigestSignature,
  coalesce(json_array_length(d.logFiles), 0), d.logFiles, file_sha256, raw
FROM (
  SELECT source_file_id, record_index, file_sha256, raw, json_transform(raw, '${SPEC}') AS d
  FROM ${decoded} WHERE target = 'digests' AND ok
)`;
}
