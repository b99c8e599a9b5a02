import { useEffect, useState } from 'react';
import { create } from 'zustand';
import { type CountedValue, type EntityKind, type EntityProfileInfo, type EntityRefInfo } from '../api/contract';
import { api } from '../api/client';
import { useApp } from '../state/store';
import { EntityValue } from '../components/EntityValue';
import { EntityInput } from '../components/EntityInput';
import { SERIES_COLORS } from '../components/VolumeChart';
import { ENTITY_KIND_LABELS, SOURCE_LABELS } from '../components/timeline/filterText';
import { formatCount, formatTime } from '../format';
import '../styles/entity.css';

const TRAIL_MAX = 12;
const ACTIONS_SHOWN = 25;

/** The entities visited on this screen, most recent last, for the breadcrumb. */
const useTrail = create<{ trail: EntityRefInfo[]; visit(e: EntityRefInfo): void }>((set, get) => ({
  trail: [],
  visit(e) {
    const rest = get().trail.filter((x) => !(x.kind === e.kind && x.value === e.value));
    set({ trail: [...rest, e].slice(-TRAIL_MAX) });
  },
}));

const sameEntity = (a: EntityRefInfo | null, b: EntityRefInfo | null) => !!a && !!b && a.kind === b.kind && a.value === b.value;

function EntityPicker({ initial }: { initial: EntityRefInfo | null }) {
  const openEntity = useApp((s) => s.openEntity);
  return (
    <div className="ent-picker" role="search" aria-label="Open an entity">
      <EntityInput
        initial={initial}
        onSubmit={openEntity}
        label="Open profile"
        primary
        inputClassName="ent-value-input"
        placeholder="198.51.100.23, arn:aws:iam::123456789012:user/alice, AKIA…, i-0abc…"
      />
    </div>
  );
}

function Breadcrumb({ current }: { current: EntityRefInfo | null }) {
  const trail = useTrail((s) => s.trail);
  const openEntity = useApp((s) => s.openEntity);
  if (trail.length < 2 && sameEntity(trail[0] ?? null, current)) return null;
  const i = trail.findIndex((e) => sameEntity(e, current));
  const back = i > 0 ? trail[i - 1] : null;
  return (
    <nav className="ent-trail" aria-label="Visited entities">
      <button className="btn small" onClick={() => back && openEntity(back)} disabled={!back} title={back ? `Back to ${back.value}` : undefined}>
        ← Back
      </button>
      {trail.map((e) => (
        <button key={`${e.kind}:${e.value}`} className={sameEntity(e, current) ? 'ent-crumb current' : 'ent-crumb'} onClick={() => openEntity(e)} title={`${e.kind} ${e.value}`}>
          <span className="muted">{ENTITY_KIND_LABELS[e.kind]}</span> <span className="mono">{e.value}</span>
        </button>
      ))}
    </nav>
  );
}

function SourceBars({ p }: { p: EntityProfileInfo }) {
  const max = Math.max(1, ...p.bySource.map((s) => s.count));
  return (
    <table className="dense ent-sources" data-testid="entity-sources">
      <thead>
        <tr>
          <th>source</th>
          <th className="num">events</th>
          <th className="ent-bar-col" />
          <th>first (UTC)</th>
          <th>last (UTC)</th>
        </tr>
      </thead>
      <tbody>
        {p.bySource.map((s) => (
          <tr key={s.source} data-source={s.source}>
            <td>
              <i className={`swatch swatch-${s.source}`} /> {SOURCE_LABELS[s.source as keyof typeof SOURCE_LABELS] ?? s.source}
            </td>
            <td className="num" data-testid="entity-source-count">
              {formatCount(s.count)}
            </td>
            <td className="ent-bar-col">
              <svg width="100%" height="10" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                <rect x={0} y={1} width={Math.max(0.5, (s.count / max) * 100)} height={8} fill={SERIES_COLORS[s.source] ?? '#8a94a3'} />
              </svg>
            </td>
            <td className="mono">{formatTime(s.first)}</td>
            <td className="mono">{formatTime(s.last)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const RELATED: { key: keyof EntityProfileInfo['related']; title: string; kind: EntityKind | null }[] = [
  { key: 'principals', title: 'Principals', kind: 'principal' },
  { key: 'access_keys', title: 'Access keys', kind: 'access_key' },
  { key: 'ips', title: 'IP addresses', kind: 'ip' },
  { key: 'instances', title: 'Instances', kind: 'instance' },
  { key: 'enis', title: 'Network interfaces', kind: 'eni' },
  { key: 'targets', title: 'Targets', kind: null },
];

function RelatedList({ title, kind, values }: { title: string; kind: EntityKind | null; values: CountedValue[] }) {
  return (
    <div className="ent-related-group" data-testid={`entity-related-${title.toLowerCase().replace(/\s+/g, '-')}`}>
      <div className="section-title">
        {title} <span className="muted">{values.length}</span>
      </div>
      {values.length === 0 ? (
        <div className="muted">none</div>
      ) : (
        <ul className="ent-related-list">
          {values.map((v) => (
            <li key={v.value}>
              {kind ? <EntityValue kind={kind} value={v.value} /> : <span className="mono ent-plain">{v.value}</span>}
              <span className="muted num">{formatCount(v.count)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Profile({ p }: { p: EntityProfileInfo }) {
  const openTimeline = useApp((s) => s.openTimeline);
  const [allActions, setAllActions] = useState(false);
  const actions = allActions ? p.actions : p.actions.slice(0, ACTIONS_SHOWN);
  return (
    <>
      <div className="ent-head">
        <span className="badge">{ENTITY_KIND_LABELS[p.entity.kind]}</span>
        <h2 className="mono ent-title" data-testid="entity-title">
          {p.entity.value}
        </h2>
        <button className="btn primary" onClick={() => openTimeline({ entities: [p.entity] })} data-testid="show-in-timeline">
          Show in timeline
        </button>
      </div>
      <div className="stats ent-stats">
        <div className="stat">
          <div className="stat-value" data-testid="entity-total">
            {formatCount(p.total)}
          </div>
          <div className="stat-label">events</div>
        </div>
        <div className="stat">
          <div className="stat-value" data-testid="entity-first">
            {formatTime(p.firstSeen) || '—'}
          </div>
          <div className="stat-label">first seen</div>
        </div>
        <div className="stat">
          <div className="stat-value" data-testid="entity-last">
            {formatTime(p.lastSeen) || '—'}
          </div>
          <div className="stat-label">last seen</div>
        </div>
        <div className="stat">
          <div className={p.errorRate > 0.2 ? 'stat-value warn' : 'stat-value'} data-testid="entity-error-rate">
            {(p.errorRate * 100).toFixed(1)}%
          </div>
          <div className="stat-label">denied, errors, rejects</div>
        </div>
      </div>
      {p.total === 0 && <div className="muted pad">No event in the case names this {ENTITY_KIND_LABELS[p.entity.kind]}.</div>}
      <div className="ent-columns">
        <div>
          <div className="panel">
            <div className="panel-title">By source</div>
            <SourceBars p={p} />
          </div>
          <div className="panel">
            <div className="panel-title">Findings that name it · {p.findings.length}</div>
            {p.findings.length === 0 ? (
              <div className="muted">None (or the investigations have not run yet: Findings → Investigate).</div>
            ) : (
              <table className="dense" data-testid="entity-findings">
                <tbody>
                  {p.findings.map((f) => (
                    <tr key={f.finding_id}>
                      <td>
                        <span className={`badge small ent-sev-${f.severity}`}>{f.severity}</span>
                      </td>
                      <td className="mono">{f.id}</td>
                      <td>{f.title}</td>
                      <td className="mono">{formatTime(f.first_seen)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
          <div className="panel">
            <div className="panel-title">Second hop: what each address did, per source · {p.ipActivity.length}</div>
            <table className="dense" data-testid="entity-ip-activity">
              <thead>
                <tr>
                  <th>address</th>
                  <th className="num">CloudTrail</th>
                  <th className="num">ELB</th>
                  <th className="num">VPC flow</th>
                  <th className="num">S3 access</th>
                  <th>first (UTC)</th>
                  <th>last (UTC)</th>
                </tr>
              </thead>
              <tbody>
                {p.ipActivity.map((a) => (
                  <tr key={a.ip} data-ip={a.ip}>
                    <td>
                      <EntityValue kind="ip" value={a.ip} />
                    </td>
                    <td className="num">{formatCount(a.cloudtrail)}</td>
                    <td className="num">{formatCount(a.elb)}</td>
                    <td className="num">{formatCount(a.vpc_flow)}</td>
                    <td className="num">{formatCount(a.s3_access)}</td>
                    <td className="mono">{formatTime(a.first)}</td>
                    <td className="mono">{formatTime(a.last)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="panel">
            <div className="panel-title">Actions · {p.actions.length}</div>
            <table className="dense" data-testid="entity-actions">
              <thead>
                <tr>
                  <th>action</th>
                  <th className="num">events</th>
                  <th className="num">failed</th>
                </tr>
              </thead>
              <tbody>
                {actions.map((a) => (
                  <tr key={a.action}>
                    <td className="mono">{a.action}</td>
                    <td className="num">{formatCount(a.count)}</td>
                    <td className={a.failed > 0 ? 'num warn' : 'num'}>{formatCount(a.failed)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {p.actions.length > ACTIONS_SHOWN && (
              <button className="btn small" onClick={() => setAllActions(!allActions)}>
                {allActions ? 'Fewer' : `All ${p.actions.length} actions`}
              </button>
            )}
          </div>
        </div>
        <div className="panel ent-related" data-testid="entity-related">
          <div className="panel-title">Related entities</div>
          {RELATED.map((r) => (
            <RelatedList key={r.key} title={r.title} kind={r.kind} values={p.related[r.key]} />
          ))}
        </div>
      </div>
    </>
  );
}

/** Everything the case knows about one entity, across every source, and the entities around it. */
export function EntityScreen() {
  const { entity, dataVersion } = useApp();
  const visit = useTrail((s) => s.visit);
  const [profile, setProfile] = useState<EntityProfileInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    if (!entity) return;
    visit(entity);
    let live = true;
    setLoading(true);
    setError(null);
    api.call('entity/profile', entity).then(
      (p) => {
        if (!live) return;
        setProfile(p);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e instanceof Error ? e.message : String(e));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [entity?.kind, entity?.value, dataVersion]);

  const shown = profile && sameEntity(profile.entity, entity) ? profile : null;
  return (
    <section className="screen ent-screen" aria-label="Entity">
      <div className="ent-top">
        <EntityPicker key={entity ? `${entity.kind}:${entity.value}` : 'none'} initial={entity} />
        <Breadcrumb current={entity} />
      </div>
      {!entity && <div className="muted pad">Choose a kind and a value, or click an address, principal, key, instance or ENI in any grid.</div>}
      {entity && loading && (
        <div className="ent-loading">
          <div className="bar">
            <div className="bar-fill ent-indeterminate" />
          </div>
          <span className="muted">Reading every source for {entity.value}…</span>
        </div>
      )}
      {error && <div className="error">{error}</div>}
      {shown && <Profile p={shown} />}
    </section>
  );
}
