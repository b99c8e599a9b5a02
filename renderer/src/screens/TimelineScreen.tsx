export function TimelineScreen() {
  return <section className="screen" aria-label="Timeline" />;
}
