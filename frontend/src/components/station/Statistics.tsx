/** Station tab Statistics: not built yet. */

import { NotBuilt } from "../NotBuilt";

export function Statistics(_props: { stationId: string }) {
  return <NotBuilt />;
}
