import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import type { DayActivity } from './daily-activity';

/** Chart size in pixels (2:1, Telegram shows it whole in a media group). */
export const CHART_WIDTH = 1280;
export const CHART_HEIGHT = 640;

/** DejaVu Sans from the dejavu-fonts-ttf package: the PNG looks the same on every machine, Cyrillic included. */
const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((file) => join(FONT_DIR, file));

const MESSAGES_COLOR = '#4c6ef5';
const ACTIVE_COLOR = '#f76707';

/** Labels drawn on the chart. */
export interface ChartLabels {
  title: string;
  messages: string;
  active: string;
}

/**
 * Renders the month's activity as a PNG: messages per day as bars and active participants per day as
 * a line (second axis), day numbers on the x axis. ECharts draws an SVG string server-side (its
 * zero-dependency SSR renderer: `init(null, null, { renderer: 'svg', ssr: true })`), and resvg
 * (@resvg/resvg-js, a prebuilt native module shipped in the npm package) rasterises it with the
 * bundled DejaVu Sans fonts, ignoring system fonts.
 * @returns PNG bytes, CHART_WIDTH × CHART_HEIGHT
 */
export function renderActivityChart(days: readonly DayActivity[], labels: ChartLabels): Buffer {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH, height: CHART_HEIGHT });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: 'DejaVu Sans' },
      title: { text: labels.title, left: 'center', top: 16, textStyle: { fontSize: 24 } },
      legend: { top: 60, data: [labels.messages, labels.active], textStyle: { fontSize: 16 } },
      grid: { left: 70, right: 70, top: 110, bottom: 50 },
      xAxis: { type: 'category', data: days.map((d) => String(Number(d.day.slice(8)))), axisLabel: { fontSize: 14 } },
      // Two axes, each in its series' colour: participants are far fewer than messages in a busy chat.
      yAxis: [
        { type: 'value', minInterval: 1, axisLabel: { fontSize: 14, color: MESSAGES_COLOR } },
        { type: 'value', minInterval: 1, splitLine: { show: false }, axisLabel: { fontSize: 14, color: ACTIVE_COLOR } },
      ],
      series: [
        { name: labels.messages, type: 'bar', data: days.map((d) => d.messages), itemStyle: { color: MESSAGES_COLOR } },
        { name: labels.active, type: 'line', yAxisIndex: 1, data: days.map((d) => d.active), itemStyle: { color: ACTIVE_COLOR }, lineStyle: { width: 3 } },
      ],
    });
    const svg = chart.renderToSVGString();
    const png = new Resvg(svg, {
      background: '#ffffff',
      fitTo: { mode: 'width', value: CHART_WIDTH },
      font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: 'DejaVu Sans' },
    }).render();
    return Buffer.from(png.asPng());
  } finally {
    chart.dispose();
  }
}
