import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiError, HuntCatalog, HuntJob, HuntParamInfo, HuntRunInfo, HuntSummary } from '../api/contract';
import { api } from '../api/client';
import { useApp } from '../state/store';
import { SqlEditor } from '../components/hunts/SqlEditor';
import { ParamForm } from '../components/hunts/ParamForm';
import { HuntLibraryList } from '../components/hunts/HuntLibraryList';
import { HuntResults } from '../components/hunts/HuntResults';
import { HuntHistory } from '../components/hunts/HuntHistory';
import { useHuntRun } from '../components/hunts/useHuntRun';
import { NEW_HUNT_TEXT, editsFromRun, headerLines, isNamedHunt, paramsToSend, runnableText, textFromRun, withId } from '../components/hunts/huntText';
import '../styles/hunts.css';

/** What the editor was loaded from: a library hunt, or nothing yet (a new hunt). */
interface Loaded {
  id: string | null;
  origin: 'builtin' | 'user' | 'new';
  title: string;
  /** The text as saved: the editor's text differs from it when there are unsaved changes. */
  text: string;
}

interface Notice {
  kind: 'ok' | 'error';
  text: string;
  /** A save refused because the id is taken: offer to replace. */
  offerReplace?: boolean;
}

const NEW: Loaded = { id: null, origin: 'new', title: 'New hunt', text: NEW_HUNT_TEXT };
const MAX_ROWS = 10_000;

const ERROR_LABEL: Record<string, string> = {
  HUNT_REFUSED: 'Refused',
  HUNT_FAILED: 'Failed',
  HUNT_TIMEOUT: 'Timed out',
  HUNT_CANCELLED: 'Cancelled',
  HUNT_PARAM: 'Parameter',
  BAD_REQUEST: 'Cannot run',
};

function RunError({ error }: { error: ApiError }) {
  return (
    <div className="error hunt-error" role="alert" data-testid="hunt-error">
      <strong>{ERROR_LABEL[error.code] ?? error.code}:</strong> {error.message}
    </div>
  );
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function HuntsScreen() {
  const { dataVersion, caseInfo } = useApp();
  const [hunts, setHunts] = useState<HuntSummary[]>([]);
  const [listError, setListError] = useState<string | null>(null);
  const [catalog, setCatalog] = useState<HuntCatalog | null>(null);
  const [loaded, setLoaded] = useState<Loaded>(NEW);
  const [text, setText] = useState(NEW.text);
  const [doc, setDoc] = useState({ text: NEW.text, key: 0 });
  const [params, setParams] = useState<HuntParamInfo[]>([]);
  const [headerError, setHeaderError] = useState<string | null>(null);
  const [edits, setEdits] = useState<Record<string, string | boolean>>({});
  const [tab, setTab] = useState<'editor' | 'history'>('editor');
  const [runs, setRuns] = useState<HuntRunInfo[] | null>(null);
  const [historyError, setHistoryError] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [saveAsId, setSaveAsId] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [pendingOpen, setPendingOpen] = useState<{ what: string; open: () => void } | null>(null);
  const paramsKey = useRef('');

  const dirty = text !== loaded.text;

  const loadList = useCallback(() => {
    api.invoke('hunts/list', {}).then((r) => {
      if (r.ok) {
        setHunts(r.value);
        setListError(null);
      } else setListError(r.error.message);
    });
  }, []);

  const loadHistory = useCallback(() => {
    api.invoke('hunts/history', { limit: 200 }).then((r) => {
      if (r.ok) {
        setRuns(r.value);
        setHistoryError(null);
      } else setHistoryError(r.error.message);
    });
  }, []);

  useEffect(loadList, []);
  useEffect(() => {
    loadHistory();
    api.invoke('hunts/catalog', {}).then((r) => r.ok && setCatalog(r.value));
  }, [dataVersion]);

  const applyParsed = (next: HuntParamInfo[]) => {
    // The same declarations keep their identity, so the editor's completion is not rebuilt on every keystroke.
    const key = JSON.stringify(next);
    if (key === paramsKey.current) return;
    paramsKey.current = key;
    setParams(next);
  };

  const parse = async (t: string): Promise<HuntParamInfo[] | null> => {
    const r = await api.invoke('hunts/parse', { text: runnableText(t) });
    if (!r.ok) {
      setHeaderError(r.error.message);
      return null;
    }
    setHeaderError(null);
    applyParsed(r.value.params);
    return r.value.params;
  };

  useEffect(() => {
    const t = setTimeout(() => void parse(text), 250);
    return () => clearTimeout(t);
  }, [text]);

  const runner = useHuntRun((_job: HuntJob) => loadHistory());

  const openText = (l: Loaded, editorText = l.text, newEdits: Record<string, string | boolean> = {}) => {
    setLoaded(l);
    setText(editorText);
    setDoc((d) => ({ text: editorText, key: d.key + 1 }));
    setEdits(newEdits);
    setNotice(null);
    setSaveAsId(null);
    setConfirmDelete(false);
    setPendingOpen(null);
    setTab('editor');
    runner.reset();
  };

  /** Opening something else over unsaved changes asks first. */
  const guarded = (what: string, open: () => void) => {
    if (dirty) setPendingOpen({ what, open });
    else open();
  };

  const openHunt = (h: HuntSummary) =>
    guarded(h.id, () => {
      api.invoke('hunts/get', { id: h.id }).then((r) => {
        if (!r.ok) return setNotice({ kind: 'error', text: r.error.message });
        openText({ id: r.value.id, origin: r.value.origin === 'builtin' ? 'builtin' : 'user', title: r.value.title, text: r.value.text });
      });
    });

  const reopen = (run: HuntRunInfo) =>
    guarded(`run ${run.run_id}`, async () => {
      const inLibrary = hunts.find((h) => h.id === run.hunt_id);
      const r = inLibrary ? await api.invoke('hunts/get', { id: inLibrary.id }) : null;
      if (r?.ok) {
        const l: Loaded = { id: r.value.id, origin: r.value.origin === 'builtin' ? 'builtin' : 'user', title: r.value.title, text: r.value.text };
        const same = r.value.sql.trim() === run.sql_text.trim();
        openText(l, same ? r.value.text : textFromRun(run, headerLines(r.value.text)), editsFromRun(r.value.params, run));
      } else {
        // The hunt is gone from the library (or was never in it): its SQL comes back with a header written from the run.
        const recovered = textFromRun(run, null);
        const bare = run.hunt_id === 'scratch' ? recovered.split('\n').filter((l) => !/^--\s*@(id|title):/.test(l)).join('\n') : recovered;
        openText({ ...NEW, title: run.title, text: '' }, bare);
      }
    });

  const run = async () => {
    if (runner.running) return;
    setNotice(null);
    const fresh = await parse(text);
    await runner.run({ text: runnableText(text), params: paramsToSend(fresh ?? params, edits), maxRows: MAX_ROWS });
  };

  const afterSave = (saved: { id: string; title: string; text: string }, message: string) => {
    setLoaded({ id: saved.id, origin: 'user', title: saved.title, text: saved.text });
    if (saved.text !== text) {
      setText(saved.text);
      setDoc((d) => ({ text: saved.text, key: d.key + 1 }));
    }
    setSaveAsId(null);
    setNotice({ kind: 'ok', text: message });
    loadList();
  };

  const save = async (replace = false) => {
    if (!isNamedHunt(text)) return setNotice({ kind: 'error', text: "To save this hunt, give it '-- @id:' and '-- @title:' header lines." });
    const r = await api.invoke('hunts/save', { text, previousId: loaded.origin === 'user' && loaded.id ? loaded.id : undefined, replace });
    if (!r.ok) return setNotice({ kind: 'error', text: r.error.message, offerReplace: r.error.code === 'FILE_EXISTS' });
    afterSave(r.value, loaded.origin === 'user' && loaded.id !== r.value.id ? `Saved as ${r.value.id} (renamed from ${loaded.id})` : `Saved ${r.value.id} in your library`);
  };

  const saveAs = async () => {
    const id = (saveAsId ?? '').trim();
    if (!id) return;
    const copy = withId(text, id);
    const r = await api.invoke('hunts/save', { text: copy });
    if (!r.ok) return setNotice({ kind: 'error', text: r.error.message });
    afterSave(r.value, `Saved a copy as ${r.value.id} in your library`);
  };

  const remove = async () => {
    if (loaded.origin !== 'user' || !loaded.id) return;
    const r = await api.invoke('hunts/delete', { id: loaded.id });
    setConfirmDelete(false);
    if (!r.ok) return setNotice({ kind: 'error', text: r.error.message });
    openText(NEW);
    setNotice({ kind: 'ok', text: `Deleted ${r.value.deleted} from your library` });
    loadList();
  };

  const job = runner.job;
  const runError = runner.startError ?? (job && job.state !== 'running' ? job.error : null);
  const readOnly = caseInfo?.readOnly ?? false;
  const historyCount = useMemo(() => (runs ? ` (${runs.length})` : ''), [runs]);

  return (
    <section className="screen hunts" aria-label="Hunts">
      <HuntLibraryList hunts={hunts} selectedId={loaded.id} onOpen={openHunt} onNew={() => guarded('a new hunt', () => openText(NEW))} error={listError} />
      <div className="hunt-main">
        <div className="toolbar hunt-toolbar">
          <nav className="tabs small" role="tablist" aria-label="Hunt views">
            <button role="tab" aria-selected={tab === 'editor'} className={tab === 'editor' ? 'tab active' : 'tab'} onClick={() => setTab('editor')}>
              Editor
            </button>
            <button
              role="tab"
              aria-selected={tab === 'history'}
              className={tab === 'history' ? 'tab active' : 'tab'}
              onClick={() => {
                setTab('history');
                loadHistory();
              }}
            >
              History{historyCount}
            </button>
          </nav>
          <span className="toolbar-title hunt-title" data-testid="hunt-current">
            {loaded.title}
            {loaded.id && <span className="mono muted"> {loaded.id}</span>}
          </span>
          <span className={`badge small origin-${loaded.origin}`}>{loaded.origin === 'new' ? 'unsaved' : loaded.origin === 'builtin' ? 'built-in · read-only' : 'your library'}</span>
          {dirty && loaded.origin !== 'new' && <span className="warn modified">modified</span>}
          <span className="hunt-actions">
            <button className="btn primary" onClick={() => void run()} disabled={runner.running} title="Ctrl+Enter" data-testid="hunt-run">
              Run
            </button>
            <button className="btn" onClick={runner.cancel} disabled={!runner.running} data-testid="hunt-cancel">
              Cancel
            </button>
            <span className="mono elapsed" data-testid="hunt-elapsed" aria-live="polite">
              {runner.running ? `running ${duration(runner.elapsedMs)}` : job?.state === 'done' && job.result ? `done in ${duration(job.result.durationMs)}` : ''}
            </span>
            <span className="sep" />
            <button
              className="btn"
              onClick={() => void save()}
              disabled={loaded.origin === 'builtin' || (!dirty && loaded.origin === 'user')}
              title={loaded.origin === 'builtin' ? 'Built-in hunts are read-only: use Save as' : 'Save to your library'}
              data-testid="hunt-save"
            >
              Save
            </button>
            <button className="btn" onClick={() => setSaveAsId(saveAsId === null ? `${loaded.id ?? 'my-hunt'}-copy` : null)} data-testid="hunt-save-as">
              Save as…
            </button>
            <button className="btn" onClick={() => setConfirmDelete(true)} disabled={loaded.origin !== 'user'} data-testid="hunt-delete">
              Delete
            </button>
          </span>
        </div>
        {pendingOpen && (
          <div className="hunt-bar warn-bar" role="alert">
            Unsaved changes to {loaded.id ?? 'this hunt'} will be lost if you open {pendingOpen.what}.
            <button className="btn small" onClick={() => pendingOpen.open()}>
              Discard changes
            </button>
            <button className="btn small" onClick={() => setPendingOpen(null)}>
              Keep editing
            </button>
          </div>
        )}
        {saveAsId !== null && (
          <form
            className="hunt-bar"
            onSubmit={(e) => {
              e.preventDefault();
              void saveAs();
            }}
          >
            <label htmlFor="hunt-save-as-id">Save a copy in your library as</label>
            <input id="hunt-save-as-id" className="input" value={saveAsId} onChange={(e) => setSaveAsId(e.target.value)} spellCheck={false} autoFocus />
            <button className="btn small primary" type="submit">
              Save copy
            </button>
            <button className="btn small" type="button" onClick={() => setSaveAsId(null)}>
              Cancel
            </button>
          </form>
        )}
        {confirmDelete && (
          <div className="hunt-bar warn-bar" role="alert">
            Delete {loaded.id} from your library? Its runs stay in the case history.
            <button className="btn small" onClick={() => void remove()} data-testid="hunt-delete-confirm">
              Delete
            </button>
            <button className="btn small" onClick={() => setConfirmDelete(false)}>
              Keep
            </button>
          </div>
        )}
        {notice && (
          <div className={notice.kind === 'ok' ? 'hunt-bar ok-bar' : 'error hunt-bar'} role="status" data-testid="hunt-notice">
            {notice.text}
            {notice.offerReplace && (
              <button className="btn small" onClick={() => void save(true)}>
                Replace it
              </button>
            )}
          </div>
        )}
        <div className="hunt-editor-pane" hidden={tab !== 'editor'}>
          <div className="hunt-editor-wrap">
            <SqlEditor doc={doc} onChange={setText} onRun={() => void run()} catalog={catalog} params={params} />
          </div>
          {headerError && (
            <div className="hunt-header-error" data-testid="hunt-header-error">
              {headerError}
            </div>
          )}
          <ParamForm params={params} edits={edits} onEdit={(k, v) => setEdits((e) => ({ ...e, [k]: v }))} onSubmit={() => void run()} />
          {runError && <RunError error={runError} />}
          {job?.state === 'done' && job.result && <HuntResults result={job.result} />}
          {!job && !runError && (
            <p className="muted hunt-hint">
              Hunts run on a read-only sandbox of the case: no writes, no files, no network. Ctrl+Enter runs; the first {MAX_ROWS.toLocaleString('en-US')} rows are
              kept, the count is exact.
            </p>
          )}
        </div>
        {tab === 'history' && <HuntHistory runs={runs} error={historyError} readOnly={readOnly} onReopen={reopen} />}
      </div>
    </section>
  );
}
