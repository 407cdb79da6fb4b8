/** UserGroups: not built yet. */

import { NotBuilt } from "../components/NotBuilt";

export function UserGroups(_props: { params: URLSearchParams }) {
  return <NotBuilt />;
}
