export function PremiumRenewal() {
  return <p>TODO</p>;
}
