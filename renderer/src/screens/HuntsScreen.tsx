export function HuntsScreen() {
  return <section className="screen" aria-label="Hunts" />;
}
