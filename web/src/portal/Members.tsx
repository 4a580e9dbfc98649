export function Members() {
  return <p>TODO</p>;
}
