import { ValidationPanel } from '../components/evidence/ValidationPanel';
import { ExportPanel } from '../components/evidence/ExportPanel';
import { VerifyPanel } from '../components/evidence/VerifyPanel';
import '../styles/evidence.css';

/** Integrity of what came in (digest validation) and of what goes out (bundles, their verification). */
export function EvidenceScreen() {
  return (
    <section className="screen ev-screen" aria-label="Evidence">
      <div className="ev-column ev-main">
        <ValidationPanel />
      </div>
      <div className="ev-column ev-side">
        <ExportPanel />
        <VerifyPanel />
      </div>
    </section>
  );
}
