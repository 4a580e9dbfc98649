export function PremiumSettings() {
  return <p>TODO</p>;
}
