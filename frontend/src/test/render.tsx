/** Rendering a view as the app does (theme, cache, session) against a scripted API. */

import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { vi } from "vitest";
import { AuthProvider } from "../auth";
import { theme } from "../theme";

export type Call = { method: string; url: string; body: unknown; headers: Record<string, string> };
type Reply = [number, unknown];
type Handler = (call: Call) => Reply;

/** fetch answering by "METHOD path" (path without api/v1 and query); unknown routes answer 404. */
export function mockApi(routes: Record<string, Reply | Handler>): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? "GET";
    const call = { method, url, body: init.body ? JSON.parse(String(init.body)) : undefined, headers: (init.headers ?? {}) as Record<string, string> };
    calls.push(call);
    const path = url.replace(/^api\/v1/, "").split("?")[0];
    const route = routes[`${method} ${path}`];
    const [status, body] = typeof route === "function" ? route(call) : route ?? [404, { message: "Not found." }];
    return new Response(body === null ? null : JSON.stringify(body), { status });
  });
  return calls;
}

export function renderApp(ui: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <MantineProvider theme={theme}>
      <QueryClientProvider client={client}>
        <AuthProvider>{ui}</AuthProvider>
      </QueryClientProvider>
    </MantineProvider>,
  );
}
