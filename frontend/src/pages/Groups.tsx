/** Groups: not built yet. */

import { NotBuilt } from "../components/NotBuilt";

export function Groups(_props: { params: URLSearchParams }) {
  return <NotBuilt />;
}
