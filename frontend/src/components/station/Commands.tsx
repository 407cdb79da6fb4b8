/** Station tab Commands: not built yet. */

import { NotBuilt } from "../NotBuilt";

export function Commands(_props: { stationId: string }) {
  return <NotBuilt />;
}
