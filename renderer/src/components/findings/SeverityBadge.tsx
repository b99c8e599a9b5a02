import type { Severity } from '../../api/contract';

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <span className={`badge sev sev-${severity}`} data-testid="severity">
      {severity}
    </span>
  );
}
