/** One charging station (`#/station?id=<identifier>&tab=<tab>`): the manual's sections as tabs, each its
 * own module under components/station/ (the tab is in the address, so a link opens it). */

import { Alert, Tabs } from "@mantine/core";
import type { ComponentType } from "react";
import { Advanced } from "../components/station/Advanced";
import { Basic } from "../components/station/Basic";
import { Commands } from "../components/station/Commands";
import { Events } from "../components/station/Events";
import { Points } from "../components/station/Points";
import { Statistics } from "../components/station/Statistics";
import { navigate, stationPath } from "../router";
import { strings } from "../strings";

const t = strings.station;

const TABS: [keyof typeof t.tabs, ComponentType<{ stationId: string }>][] = [
  ["basic", Basic],
  ["advanced", Advanced],
  ["points", Points],
  ["commands", Commands],
  ["events", Events],
  ["statistics", Statistics],
];

export function Station({ params }: { params: URLSearchParams }) {
  const stationId = params.get("id");
  if (!stationId) return <Alert color="red" role="alert">{t.missing}</Alert>;
  const tab = TABS.some(([key]) => key === params.get("tab")) ? params.get("tab")! : "basic";
  return (
    <Tabs value={tab} onChange={(next) => next && navigate(stationPath(stationId, next), { replace: true })} keepMounted={false}>
      <Tabs.List aria-label={t.tabsLabel} mb="md">
        {TABS.map(([key]) => <Tabs.Tab key={key} value={key}>{t.tabs[key]}</Tabs.Tab>)}
      </Tabs.List>
      {TABS.map(([key, View]) => (
        <Tabs.Panel key={key} value={key}><View stationId={stationId} /></Tabs.Panel>
      ))}
    </Tabs>
  );
}
