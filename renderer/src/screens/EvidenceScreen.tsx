export function EvidenceScreen() {
  return <section className="screen" aria-label="Evidence" />;
}
