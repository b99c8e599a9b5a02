import type { HuntParamInfo } from '../../api/contract';
import { paramKey, valueText } from './huntText';

interface Props {
  params: HuntParamInfo[];
  edits: Record<string, string | boolean>;
  onEdit(key: string, value: string | boolean): void;
  onSubmit(): void;
}

const PLACEHOLDER: Partial<Record<HuntParamInfo['type'], string>> = {
  timestamptz: '2025-03-19T09:33:47Z',
  date: 'YYYY-MM-DD',
  'varchar[]': 'a, b, c',
};

const INPUT_MODE: Partial<Record<HuntParamInfo['type'], 'numeric' | 'decimal'>> = { integer: 'numeric', bigint: 'numeric', double: 'decimal' };

/** One field per `-- @param` of the header, typed by its declaration; Enter in a field runs the hunt. */
export function ParamForm({ params, edits, onEdit, onSubmit }: Props) {
  if (params.length === 0) return null;
  return (
    <form
      className="hunt-params"
      aria-label="Hunt parameters"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && e.target instanceof HTMLInputElement && e.target.type === 'text') {
          e.preventDefault();
          onSubmit();
        }
      }}
    >
      {params.map((p) => {
        const key = paramKey(p);
        const def = valueText(p.default);
        const value = edits[key] ?? def;
        const id = `hunt-param-${p.name}`;
        return (
          <div className={p.type === 'boolean' ? 'hunt-param boolean' : 'hunt-param'} key={key} title={p.description || undefined}>
            <label htmlFor={id}>
              <span className="mono">{p.name}</span> <span className="muted param-type">{p.type}</span>
            </label>
            {p.type === 'boolean' ? (
              <input id={id} data-testid={id} type="checkbox" checked={value === true} onChange={(e) => onEdit(key, e.target.checked)} />
            ) : (
              <input
                id={id}
                data-testid={id}
                className="input"
                type="text"
                inputMode={INPUT_MODE[p.type]}
                spellCheck={false}
                value={typeof value === 'string' ? value : ''}
                placeholder={typeof def === 'string' && def !== '' ? def : (PLACEHOLDER[p.type] ?? '')}
                onChange={(e) => onEdit(key, e.target.value)}
              />
            )}
            {p.description && <span className="muted param-doc">{p.description}</span>}
          </div>
        );
      })}
    </form>
  );
}
