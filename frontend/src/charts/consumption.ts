/** Consumption (kWh, bars) and charging events (line) per day, drawn with ECharts after log-in. */

import { BarChart, LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export type Day = { date: string; sessions: number; energy_kwh: number };
export type Labels = { energy: string; events: string };

export function drawConsumption(element: HTMLElement, days: Day[], labels: Labels): () => void {
  const chart = echarts.getInstanceByDom(element) ?? echarts.init(element, undefined, { renderer: "svg" });
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0, data: [labels.energy, labels.events], textStyle: { color: "#212529" } },
    grid: { left: 48, right: 48, top: 40, bottom: 32 },
    xAxis: { type: "category", data: days.map((d) => d.date.slice(5)), axisLabel: { color: "#212529" } },
    yAxis: [
      { type: "value", name: "kWh", axisLabel: { color: "#212529" } },
      { type: "value", minInterval: 1, axisLabel: { color: "#212529" } },
    ],
    series: [
      { name: labels.energy, type: "bar", data: days.map((d) => d.energy_kwh), itemStyle: { color: "#1864ab" } },
      { name: labels.events, type: "line", yAxisIndex: 1, data: days.map((d) => d.sessions), itemStyle: { color: "#a04a00" } },
    ],
  }, true);
  return () => chart.dispose();
}
