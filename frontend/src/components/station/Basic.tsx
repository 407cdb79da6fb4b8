/** Station tab Basic: not built yet. */

import { NotBuilt } from "../NotBuilt";

export function Basic(_props: { stationId: string }) {
  return <NotBuilt />;
}
