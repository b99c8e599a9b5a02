import type { FindingInfo, InvestigationInfo } from '../../api/contract';
import { formatCount } from '../../format';
import { SeverityBadge } from './SeverityBadge';
import { EntityChips } from './EntityChips';
import { EvidenceList } from './EvidenceList';
import { PinFinding } from './PinFinding';
import { tacticName } from './attack';
import { utcText } from './time';

/** One finding: what the investigation looks for, what it found, who and what it names, and the records behind it. */
export function FindingDetail({ finding, info, readOnly }: { finding: FindingInfo; info: InvestigationInfo | undefined; readOnly: boolean }) {
  return (
    <article className="finding-detail" aria-label="Finding" data-testid="finding-detail">
      <header className="finding-head">
        <div className="finding-head-line">
          <SeverityBadge severity={finding.severity} />
          <span className="mono" data-testid="detail-rule">
            {finding.id}
          </span>
          <span className="muted mono">finding {finding.finding_id}</span>
        </div>
        <h2 className="finding-name">{finding.title}</h2>
        <div className="finding-summary">{finding.detail}</div>
      </header>
      <dl className="finding-meta">
        <dt>ATT&amp;CK</dt>
        <dd>
          {finding.attack.map((t) => (
            <span key={t} className="tag mono">
              {t}
            </span>
          ))}
          {finding.tactics.map((t) => (
            <span key={t} className="tag tactic" title={t}>
              {tacticName(t)}
            </span>
          ))}
        </dd>
        <dt>Seen</dt>
        <dd className="mono">
          {utcText(finding.first_seen)}
          {finding.last_seen && finding.last_seen !== finding.first_seen ? ` → ${utcText(finding.last_seen)}` : ''}
        </dd>
        <dt>Events</dt>
        <dd>{formatCount(finding.count)}</dd>
        {info && (
          <>
            <dt>Sources</dt>
            <dd className="mono">{info.sources.join(', ')}</dd>
          </>
        )}
      </dl>
      <div className="finding-actions">
        <PinFinding findingId={finding.finding_id} readOnly={readOnly} />
      </div>
      {info && (
        <section>
          <div className="section-title">What it means</div>
          <p className="finding-description">{info.description}</p>
          {info.falsePositives.length > 0 && (
            <>
              <div className="section-title">Known false positives</div>
              <ul className="false-positives">
                {info.falsePositives.map((fp) => (
                  <li key={fp}>{fp}</li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
      <section>
        <div className="section-title">Entities</div>
        <EntityChips finding={finding} />
      </section>
      <EvidenceList finding={finding} />
    </article>
  );
}
