/** The station's details, shared by its tabs (one cache entry: a save in one tab shows in the others). */

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { stationApi, type StationDetail } from "../../calls/station";
import { useAuth } from "../../auth";

export const stationKey = (stationId: string) => ["station", stationId] as const;

export function useStation(stationId: string, refetchInterval?: number) {
  return useQuery({ queryKey: stationKey(stationId), queryFn: () => stationApi.get(stationId), refetchInterval });
}

/** Keep an answer that carries the station (every edit answers with it) as the cached details. */
export function useKeepStation(stationId: string) {
  const queries = useQueryClient();
  return (station: StationDetail) => {
    queries.setQueryData(stationKey(stationId), station);
    queries.invalidateQueries({ queryKey: ["stations", "list"] });
  };
}

export function useIsAdmin(): boolean {
  return useAuth().operator?.role === "admin";
}
