/** What an investigator wants first in each table; the column chooser shows the rest. */
export const DEFAULT_COLUMNS: Record<string, string[]> = {
  cloudtrail: ['event_time', 'event_source', 'event_name', 'aws_region', 'source_ip', 'user_type', 'user_arn', 'access_key_id', 'error_code', 'user_agent', 'recipient_account_id', 'event_id'],
  vpc_flow: ['event_time', 'account_id', 'interface_id', 'srcaddr', 'srcport', 'dstaddr', 'dstport', 'protocol', 'packets', 'bytes', 'action', 'log_status', 'region'],
  elb: ['event_time', 'lb_type', 'elb', 'client_ip', 'client_port', 'http_method', 'url', 'elb_status_code', 'target_status_code', 'user_agent', 'received_bytes', 'sent_bytes'],
  s3_access: ['event_time', 'bucket', 'remote_ip', 'requester', 'operation', 'key', 'request_uri', 'http_status', 'error_code', 'bytes_sent', 'user_agent'],
};
