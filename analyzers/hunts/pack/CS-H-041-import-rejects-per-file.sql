-- @id: CS-H-041
-- @title: Records rejected at import, per source file
-- @description: Every input file that lost records or was refused at import, with its path, hashes, status, records imported and rejected, the reasons (with counts) and the first rejected positions. The chain-of-custody answer to "was anything in the evidence left out, and why?": a truncated gzip, a damaged line, a file of an unknown format. Files with the most rejects first; set include_clean to list every file.
-- @author: Cloudsift
-- @tags: case, chain-of-custody, import, rejects
-- @param include_clean boolean = false  -- also list files that imported without a reject
-- @param max_list integer = 10  -- reasons and positions listed per file
WITH reasons AS (
  SELECT source_file_id, reason, count(*) AS n, min(position) AS first_position
  FROM rejects
  GROUP BY source_file_id, reason
),
per_file AS (
  SELECT
    source_file_id,
    sum(n) AS reject_rows,
    list(reason || ' (' || n || ')' ORDER BY n DESC, reason)[1:$max_list] AS reasons
  FROM reasons
  GROUP BY source_file_id
),
positions AS (
  SELECT source_file_id,
         list(position_kind || ' ' || position ORDER BY position)[1:$max_list] AS first_positions,
         min_by(excerpt, position) AS first_excerpt
  FROM rejects
  GROUP BY source_file_id
)
SELECT
  s.source_file_id,
  s.path,
  s.import_root,
  s.kind,
  s.format,
  s.container,
  s.status,
  s.records_imported,
  s.records_duplicate,
  s.records_rejected,
  coalesce(p.reject_rows, 0) AS reject_rows,
  coalesce(p.reasons, []) AS reasons,
  coalesce(q.first_positions, []) AS first_positions,
  q.first_excerpt,
  s.message,
  s.size,
  s.sha256,
  s.content_sha256,
  iso(s.imported_at) AS imported_at,
  s.import_id
FROM sources s
LEFT JOIN per_file p USING (source_file_id)
LEFT JOIN positions q USING (source_file_id)
WHERE $include_clean OR p.reject_rows > 0 OR s.status IN ('rejected', 'partial')
ORDER BY coalesce(p.reject_rows, 0) DESC, s.records_rejected DESC, s.path, s.source_file_id
