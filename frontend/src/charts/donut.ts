/** The status donut drawn with ECharts: loaded with import() after log-in, never on the log-in page. */

import { PieChart } from "echarts/charts";
import { TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";
import { styleOf } from "../status";

echarts.use([PieChart, TooltipComponent, SVGRenderer]);

export type Slice = { name: string; value: number };

export function drawDonut(element: HTMLElement, slices: Slice[]): () => void {
  const chart = echarts.getInstanceByDom(element) ?? echarts.init(element, undefined, { renderer: "svg" });
  chart.setOption({
    tooltip: { trigger: "item" },
    series: [{
      type: "pie",
      radius: ["50%", "80%"],
      label: { show: false },
      data: slices.map((s) => ({ ...s, itemStyle: { color: styleOf(s.name).color } })),
    }],
  });
  return () => chart.dispose();
}
