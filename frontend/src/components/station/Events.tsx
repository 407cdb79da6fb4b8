/** Station tab Events: not built yet. */

import { NotBuilt } from "../NotBuilt";

export function Events(_props: { stationId: string }) {
  return <NotBuilt />;
}
