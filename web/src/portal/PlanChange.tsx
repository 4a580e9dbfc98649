export function PlanChange() {
  return <p>TODO</p>;
}
