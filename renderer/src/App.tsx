import { useEffect } from 'react';
import { useApp, type Screen } from './state/store';
import { api } from './api/client';
import { OverviewScreen } from './screens/OverviewScreen';
import { ImportScreen } from './screens/ImportScreen';
import { ExplorerScreen } from './screens/ExplorerScreen';
import { FindingsScreen } from './screens/FindingsScreen';
import { TimelineScreen } from './screens/TimelineScreen';
import { EntityScreen } from './screens/EntityScreen';
import { HuntsScreen } from './screens/HuntsScreen';
import { EvidenceScreen } from './screens/EvidenceScreen';

const SCREENS: { id: Screen; label: string; key: string }[] = [
  { id: 'overview', label: 'Overview', key: '1' },
  { id: 'import', label: 'Import', key: '2' },
  { id: 'explorer', label: 'Explorer', key: '3' },
  { id: 'findings', label: 'Findings', key: '4' },
  { id: 'timeline', label: 'Timeline', key: '5' },
  { id: 'entity', label: 'Entity', key: '6' },
  { id: 'hunts', label: 'Hunts', key: '7' },
  { id: 'evidence', label: 'Evidence', key: '8' },
];

export function App() {
  const { screen, setScreen, caseInfo, caseError, loadCase } = useApp();

  useEffect(() => {
    void loadCase();
  }, []);

  useEffect(() => {
    // Alt+1..8 switch screens from anywhere, grid included.
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const s = SCREENS.find((x) => x.key === e.key);
      if (s) {
        e.preventDefault();
        setScreen(s.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Cloudsift</span>
        <nav className="tabs" role="tablist" aria-label="Screens">
          {SCREENS.map((s) => (
            <button
              key={s.id}
              role="tab"
              aria-selected={screen === s.id}
              className={screen === s.id ? 'tab active' : 'tab'}
              onClick={() => setScreen(s.id)}
              title={`Alt+${s.key}`}
            >
              {s.label}
            </button>
          ))}
        </nav>
        <span className="case-path mono" title={caseInfo?.path} data-testid="case-path">
          {caseInfo ? caseInfo.path : ''}
          {caseInfo?.readOnly ? ' (read-only)' : ''}
        </span>
        <span className="muted transport">{api.transport === 'http' ? 'serve · 127.0.0.1' : 'desktop'} · times in UTC</span>
      </header>
      {caseError && <div className="error banner">{caseError}</div>}
      <main className="content">
        {screen === 'overview' && <OverviewScreen />}
        {screen === 'import' && <ImportScreen />}
        {screen === 'explorer' && <ExplorerScreen />}
        {screen === 'findings' && <FindingsScreen />}
        {screen === 'timeline' && <TimelineScreen />}
        {screen === 'entity' && <EntityScreen />}
        {screen === 'hunts' && <HuntsScreen />}
        {screen === 'evidence' && <EvidenceScreen />}
      </main>
    </div>
  );
}
