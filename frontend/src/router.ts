/** Hash routing: `#/path?query`. The e-mailed links (`/#/activate?token=...`) and any deep link work
 * from static files with no server rewrite rules, on S3 as locally. */

import { useSyncExternalStore } from "react";

export type Route = { path: string; params: URLSearchParams };

function current(): string {
  return window.location.hash.replace(/^#/, "") || "/";
}

function subscribe(callback: () => void): () => void {
  window.addEventListener("hashchange", callback);
  return () => window.removeEventListener("hashchange", callback);
}

export function parse(hash: string): Route {
  const [path, query = ""] = hash.split("?", 2);
  return { path: path.startsWith("/") ? path : `/${path}`, params: new URLSearchParams(query) };
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, current, () => "/");
  return parse(hash);
}

export function navigate(to: string, { replace = false } = {}): void {
  const url = `#${to}`;
  if (replace) {
    window.history.replaceState(null, "", url);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else {
    window.location.hash = to;
  }
}

export const href = (to: string) => `#${to}`;

/** One charging station's view, opened at a tab (the tab names are in pages/Station.tsx). */
export const stationPath = (stationId: string, tab = "basic") => `/station?${new URLSearchParams({ id: stationId, tab })}`;
