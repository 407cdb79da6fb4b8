/** Users: not built yet. */

import { NotBuilt } from "../components/NotBuilt";

export function Users(_props: { params: URLSearchParams }) {
  return <NotBuilt />;
}
