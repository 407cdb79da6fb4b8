/** Station tab Points: not built yet. */

import { NotBuilt } from "../NotBuilt";

export function Points(_props: { stationId: string }) {
  return <NotBuilt />;
}
