/** Draw a chart into a box once its module (and ECharts) is loaded; redraw when the data changes. */

import { useEffect, useRef } from "react";

type Draw<T> = (element: HTMLElement, data: T) => () => void;

export function useChart<T>(load: () => Promise<Draw<T>>, data: T) {
  const box = useRef<HTMLDivElement>(null);
  const key = JSON.stringify(data);
  useEffect(() => {
    let dispose: (() => void) | undefined;
    let gone = false;
    // A box without size (jsdom in the component tests) gets no chart: the table beside it says it all.
    if (!box.current || box.current.clientWidth === 0) return;
    load().then((draw) => {
      if (!gone && box.current) dispose = draw(box.current, JSON.parse(key));
    });
    return () => { gone = true; dispose?.(); };
  }, [key, load]);
  return box;
}
