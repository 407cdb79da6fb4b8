/** Station tab Advanced: not built yet. */

import { NotBuilt } from "../NotBuilt";

export function Advanced(_props: { stationId: string }) {
  return <NotBuilt />;
}
