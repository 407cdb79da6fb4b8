/** Operators: not built yet. */

import { NotBuilt } from "../components/NotBuilt";

export function Operators(_props: { params: URLSearchParams }) {
  return <NotBuilt />;
}
