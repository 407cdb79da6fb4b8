/** Reports: not built yet. */

import { NotBuilt } from "../components/NotBuilt";

export function Reports(_props: { params: URLSearchParams }) {
  return <NotBuilt />;
}
