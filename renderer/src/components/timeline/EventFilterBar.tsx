import { useEffect, useState, type KeyboardEvent } from 'react';
import { type EntityRefInfo, type EventFilterSpec, type EventSourceName } from '../../api/contract';
import { EntityInput } from '../EntityInput';
import { cleanFilter, ENTITY_KIND_LABELS, OUTCOME_CHOICES, parseTimeInput, sameOutcomes, SOURCE_LABELS, SOURCES, timeInputText } from './filterText';

interface Props {
  filter: EventFilterSpec;
  onApply(filter: EventFilterSpec): void;
}

/**
 * What the unified events are narrowed to: a UTC time range, sources, entities,
 * free text and outcome. Edits apply together (Apply, or Enter in a box), so
 * that the histogram and the grid never show a half-typed filter.
 */
export function EventFilterBar({ filter, onApply }: Props) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [sources, setSources] = useState<EventSourceName[]>([...SOURCES]);
  const [entities, setEntities] = useState<EntityRefInfo[]>([]);
  const [text, setText] = useState('');
  const [outcome, setOutcome] = useState(0);
  const [error, setError] = useState<string | null>(null);

  const key = JSON.stringify(filter);
  useEffect(() => {
    setFrom(timeInputText(filter.from));
    setTo(timeInputText(filter.to));
    setSources(filter.sources?.length ? [...filter.sources] : [...SOURCES]);
    setEntities(filter.entities ?? []);
    setText(filter.text ?? '');
    setOutcome(Math.max(0, OUTCOME_CHOICES.findIndex((c) => sameOutcomes(c.outcomes, filter.outcomes))));
    setError(null);
  }, [key]);

  const build = (over: Partial<EventFilterSpec> = {}): EventFilterSpec | null => {
    const f = parseTimeInput(from);
    const t = parseTimeInput(to);
    if (f === null || t === null) {
      setError('Times are UTC, as 2025-03-19 09:30 or 2025-03-19 09:30:15');
      return null;
    }
    if (f && t && Date.parse(t) <= Date.parse(f)) {
      setError('"To" must be after "From"');
      return null;
    }
    setError(null);
    return cleanFilter({ from: f, to: t, sources, entities, text, outcomes: OUTCOME_CHOICES[outcome].outcomes, ...over });
  };
  const apply = (over: Partial<EventFilterSpec> = {}) => {
    const f = build(over);
    if (f) onApply(f);
  };
  const onEnter = (e: KeyboardEvent) => {
    if (e.key === 'Enter') apply();
  };
  const addEntity = (add: EntityRefInfo) => {
    const next = [...entities.filter((x) => !(x.kind === add.kind && x.value === add.value)), add];
    setEntities(next);
    apply({ entities: next });
  };
  const removeEntity = (i: number) => {
    const next = entities.filter((_, j) => j !== i);
    setEntities(next);
    apply({ entities: next });
  };
  const toggleSource = (s: EventSourceName, on: boolean) => {
    const next = on ? SOURCES.filter((x) => x === s || sources.includes(x)) : sources.filter((x) => x !== s);
    if (next.length === 0) return;
    setSources(next);
    apply({ sources: next });
  };

  return (
    <div className="tl-filter" role="search" aria-label="Event filter">
      <div className="tl-filter-row">
        <label className="tl-field">
          <span className="muted">From (UTC)</span>
          <input className="input tl-time" aria-label="From (UTC)" placeholder="2025-03-19 09:00" value={from} onChange={(e) => setFrom(e.target.value)} onKeyDown={onEnter} />
        </label>
        <label className="tl-field">
          <span className="muted">To (UTC)</span>
          <input className="input tl-time" aria-label="To (UTC)" placeholder="2025-03-19 12:00" value={to} onChange={(e) => setTo(e.target.value)} onKeyDown={onEnter} />
        </label>
        <fieldset className="tl-sources">
          <legend className="tl-sr-only">Sources</legend>
          {SOURCES.map((s) => (
            <label key={s} className="tl-check">
              <input type="checkbox" checked={sources.includes(s)} onChange={(e) => toggleSource(s, e.target.checked)} aria-label={`Source ${SOURCE_LABELS[s]}`} />
              <i className={`swatch swatch-${s}`} /> {SOURCE_LABELS[s]}
            </label>
          ))}
        </fieldset>
        <select
          className="input"
          aria-label="Outcome"
          value={outcome}
          onChange={(e) => {
            const i = Number(e.target.value);
            setOutcome(i);
            apply({ outcomes: OUTCOME_CHOICES[i].outcomes });
          }}
        >
          {OUTCOME_CHOICES.map((c, i) => (
            <option key={c.label} value={i}>
              {c.label}
            </option>
          ))}
        </select>
        <input className="input tl-text" aria-label="Text in summary, actor or target" placeholder="Text in summary, actor or target" value={text} onChange={(e) => setText(e.target.value)} onKeyDown={onEnter} maxLength={500} />
        <button className="btn primary" onClick={() => apply()}>
          Apply
        </button>
        <button className="btn ghost" onClick={() => onApply({})} title="Show every event">
          Clear
        </button>
      </div>
      <div className="tl-filter-row">
        <span className="muted">Entities</span>
        {entities.length === 0 && <span className="muted small-note">none: every entity</span>}
        {entities.map((e, i) => (
          <button key={`${e.kind}:${e.value}`} className="chip" onClick={() => removeEntity(i)} title="Remove this entity from the filter" data-testid="entity-chip">
            {ENTITY_KIND_LABELS[e.kind]}: {e.value} ✕
          </button>
        ))}
        <EntityInput label="Add entity" inputClassName="tl-entity" placeholder="198.51.100.23, arn:aws:iam::…, AKIA…" onSubmit={addEntity} clearOnSubmit />
        {error && (
          <span className="tl-filter-error" role="alert">
            {error}
          </span>
        )}
      </div>
    </div>
  );
}
