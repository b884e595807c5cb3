import { onBeforeUnmount, type Ref } from 'vue';
import { init, type ECharts, type EChartsCoreOption } from 'echarts/core';

/**
 * One ECharts chart on a page's element: made on the first draw, resized with the window, disposed with the
 * page. Returns the draw function (each call replaces the whole option).
 */
export function usePageChart(el: Ref<HTMLElement | undefined>) {
  let chart: ECharts | null = null;
  const resize = () => chart?.resize();
  window.addEventListener('resize', resize);
  onBeforeUnmount(() => {
    window.removeEventListener('resize', resize);
    chart?.dispose();
  });
  return (option: EChartsCoreOption) => {
    if (!el.value) return;
    chart ??= init(el.value);
    chart.setOption(option, true);
  };
}
