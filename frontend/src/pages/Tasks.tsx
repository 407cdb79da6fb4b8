/** Tasks: not built yet. */

import { NotBuilt } from "../components/NotBuilt";

export function Tasks(_props: { params: URLSearchParams }) {
  return <NotBuilt />;
}
