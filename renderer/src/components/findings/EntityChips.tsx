import { useState } from 'react';
import type { EntityKind, FindingInfo } from '../../api/contract';
import { api } from '../../api/client';
import { useApp } from '../../state/store';
import { GROUPS, explorerTargets, type EntityGroup, type ExplorerTarget } from './entityFilters';

const SHOWN = 12;

/** The first place the value has rows, trying the finding's own evidence tables first; the first place if none has. */
async function findTarget(targets: ExplorerTarget[], emptyTables: Set<string>): Promise<ExplorerTarget | undefined> {
  for (const t of targets) {
    if (emptyTables.has(t.table)) continue;
    const r = await api.invoke('table/count', { table: t.table, filters: t.filters });
    if (r.ok && r.value.count > 0) return t;
  }
  return targets[0];
}

function Chip({ group, value, profile, evidenceTables }: { group: EntityGroup; value: string; profile: EntityKind | null; evidenceTables: string[] }) {
  const { openTable, openEntity, caseInfo } = useApp();
  const [looking, setLooking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const open = async () => {
    setLooking(true);
    setError(null);
    try {
      const empty = new Set((caseInfo?.tables ?? []).filter((t) => t.rows === 0).map((t) => t.name));
      const target = await findTarget(explorerTargets(group, value, evidenceTables), empty);
      if (target) openTable(target.table, target.filters);
    } catch (e) {
      setError(String(e));
      setLooking(false);
    }
  };
  return (
    <span className="entity-chip" data-testid="entity-chip" data-group={group} data-value={value}>
      <button type="button" className="chip" onClick={() => void open()} disabled={looking} title={`Show the records of ${value} in the explorer`}>
        {value}
      </button>
      {profile && (
        <button
          type="button"
          className="chip-profile"
          aria-label={`Open the ${profile} profile of ${value}`}
          title={`Open the ${profile} profile`}
          onClick={() => openEntity({ kind: profile, value })}
        >
          ◎
        </button>
      )}
      {error && <span className="error">{error}</span>}
    </span>
  );
}

/** The finding's entities by kind; a chip opens the explorer on the value's records, its small button the entity's profile. */
export function EntityChips({ finding }: { finding: FindingInfo }) {
  const [expanded, setExpanded] = useState<Set<EntityGroup>>(new Set());
  const groups = GROUPS.filter((g) => finding.entities[g.group].length > 0);
  if (groups.length === 0) return <div className="muted">No entities named.</div>;
  return (
    <dl className="entity-groups" data-testid="entity-chips">
      {groups.map(({ group, label, profile }) => {
        const values = finding.entities[group];
        const shown = expanded.has(group) ? values : values.slice(0, SHOWN);
        return (
          <div key={group} className="entity-group">
            <dt>{label}</dt>
            <dd>
              {shown.map((v) => (
                <Chip key={v} group={group} value={v} profile={profile} evidenceTables={finding.evidenceTables} />
              ))}
              {values.length > shown.length && (
                <button type="button" className="btn ghost small" onClick={() => setExpanded(new Set([...expanded, group]))}>
                  +{values.length - shown.length} more
                </button>
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
