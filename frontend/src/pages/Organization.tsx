/** Organization: not built yet. */

import { NotBuilt } from "../components/NotBuilt";

export function Organization(_props: { params: URLSearchParams }) {
  return <NotBuilt />;
}
