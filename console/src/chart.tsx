// One React wrapper for Apache ECharts, imported from `echarts/core` with only the charts and
// components the console draws (bars, lines and a scatter, axes, legend, tooltip, the aria
// description), rendered as SVG. ECharts speaks Chinese and English itself (ZH and EN are built
// in). Geometry needs numbers: amounts go in as whole cents (exact integers far beyond any
// budget), and every label or tooltip is formatted from the API's decimal strings, not from them.
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { Locale } from './format';

echarts.use([
  BarChart,
  LineChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  AriaComponent,
  SVGRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

/** A chart of `option`; `description` is what a screen reader hears (the chart's figures in words). */
export function Chart({
  option,
  description,
  locale,
  height = 360,
}: {
  option: ChartOption;
  description: string;
  locale: Locale;
  height?: number;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const dom = element.current!;
    const instance = echarts.init(dom, undefined, {
      renderer: 'svg',
      locale: locale === 'zh-CN' ? 'ZH' : 'EN',
    });
    chart.current = instance;
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(dom);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [locale]);

  useEffect(() => {
    chart.current?.setOption(
      { ...option, animation: false, aria: { enabled: true, label: { description } } },
      { notMerge: true },
    );
  }, [option, description, locale]);

  return <div ref={element} className="chart" style={{ height }} data-chart="" />;
}
