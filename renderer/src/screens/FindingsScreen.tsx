export function FindingsScreen() {
  return <section className="screen" aria-label="Findings" />;
}
