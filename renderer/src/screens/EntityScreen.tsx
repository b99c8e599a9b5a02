export function EntityScreen() {
  return <section className="screen" aria-label="Entity" />;
}
