-- @id: CS-H-037
-- @title: Web attack patterns in load balancer requests
-- @description: Requests whose URL or user agent matches common attack patterns, per client and kind: path traversal, SQL injection, cross-site scripting, server-side request forgery to the instance metadata service, command injection, Log4Shell, scanner user agents, and the background probing of /.env and /wp-login.php. With status codes, sample URLs and the time span. A 200 on an SSRF to 169.254.169.254 is how instance credentials leave. Earliest first.
-- @author: Cloudsift
-- @attack: T1190, T1595.002, T1552.005
-- @tags: elb, web, injection, ssrf, scanning
-- @param url_pattern varchar = (?i)(\.\./|\.\.%2f|%2e%2e|/etc/passwd|win\.ini|union(\+|%20|\s)+(all(\+|%20|\s)+)?select|sleep\(|sleep%28|benchmark\(|waitfor(\+|%20)delay|<script|%3cscript|onerror=|javascript:|169\.254\.169\.254|metadata\.google\.internal|\$\{jndi:|%24%7bjndi|/\.env|/\.git/|/wp-login\.php|/phpmyadmin|cmd=|;wget|;curl|%3bwget)  -- regular expression (RE2) matched against the URL
-- @param ua_pattern varchar = (?i)(sqlmap|nikto|nmap|masscan|zgrab|nuclei|gobuster|dirbuster|wfuzz|ffuf|hydra|acunetix|nessus|openvas|wpscan|<script|onerror=|\$\{jndi:)  -- regular expression (RE2) matched against the user agent
-- @param since timestamptz = 1970-01-01T00:00:00Z  -- only requests at or after this time
-- @param until timestamptz = 2100-01-01T00:00:00Z  -- only requests before this time
-- @param max_list integer = 5  -- sample URLs listed per row
-- @param max_refs integer = 20  -- evidence references kept per row
WITH hits AS (
  SELECT client_ip, url, user_agent, elb_status_code, sent_bytes, event_time, source_file_id, record_index,
    CASE
      WHEN regexp_matches(url, '(?i)169\.254\.169\.254|metadata\.google\.internal|latest/meta-data') THEN 'ssrf-metadata'
      WHEN regexp_matches(url, '(?i)\$\{jndi:|%24%7bjndi') OR regexp_matches(coalesce(user_agent, ''), '(?i)\$\{jndi:') THEN 'log4shell'
      WHEN regexp_matches(url, '(?i)\.\./|\.\.%2f|%2e%2e|/etc/passwd|win\.ini') THEN 'path-traversal'
      WHEN regexp_matches(url, '(?i)union(\+|%20|\s)+(all(\+|%20|\s)+)?select|sleep\(|sleep%28|benchmark\(|waitfor(\+|%20)delay') THEN 'sql-injection'
      WHEN regexp_matches(url, '(?i)<script|%3cscript|onerror=|javascript:') OR regexp_matches(coalesce(user_agent, ''), '(?i)<script|onerror=') THEN 'xss'
      WHEN regexp_matches(url, '(?i)cmd=|;wget|;curl|%3bwget') THEN 'command-injection'
      WHEN regexp_matches(coalesce(user_agent, ''), $ua_pattern) THEN 'scanner'
      WHEN regexp_matches(url, '(?i)/\.env|/\.git/|/wp-login\.php|/phpmyadmin') THEN 'probe'
      ELSE 'other'
    END AS kind
  FROM elb
  WHERE lb_type IN ('alb', 'clb')
    AND event_time >= $since::TIMESTAMPTZ AND event_time < $until::TIMESTAMPTZ
    AND (regexp_matches(url, $url_pattern) OR regexp_matches(user_agent, $ua_pattern))
)
SELECT
  client_ip,
  kind,
  count(*) AS requests,
  count(*) FILTER (WHERE elb_status_code BETWEEN 200 AND 399) AS answered_2xx_3xx,
  list(DISTINCT elb_status_code ORDER BY elb_status_code) FILTER (WHERE elb_status_code IS NOT NULL) AS status_codes,
  list(DISTINCT user_agent ORDER BY user_agent) FILTER (WHERE user_agent IS NOT NULL)[1:$max_list] AS user_agents,
  min_by(url, (event_time, source_file_id, record_index), $max_list) AS sample_urls,
  sum(sent_bytes) AS sent_bytes,
  iso(min(event_time)) AS first_seen,
  iso(max(event_time)) AS last_seen,
  min_by({'tbl': 'elb', 'source_file_id': source_file_id, 'record_index': record_index},
         (event_time, source_file_id, record_index), $max_refs) AS evidence
FROM hits
GROUP BY client_ip, kind
ORDER BY min(event_time), client_ip, kind
