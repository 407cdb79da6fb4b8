/** What the firmware and diagnostics dialogs share: the request goes out, and whatever the answer (a refused
 * request is listed too, Failed with its reason) the station's record and its command history are read
 * again; the dialog closes on success. */

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";

export function useStationRequest(stationId: string, record: string, send: () => Promise<unknown>, onClose: () => void) {
  const queries = useQueryClient();
  const sending = useMutation({
    mutationFn: send,
    onSettled: () => {
      void queries.invalidateQueries({ queryKey: ["stations", stationId, record] });
      void queries.invalidateQueries({ queryKey: ["stations", stationId, "command-history"] });
    },
    onSuccess: onClose,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    sending.mutate();
  };
  return { sending, submit };
}

/** The zone dates are picked in: the organization's, else the browser's. */
export const pickingZone = (timeZone?: string) => timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
