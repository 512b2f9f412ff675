import { renderActivityChart, CHART_HEIGHT, CHART_WIDTH } from './activity-chart';

describe('renderActivityChart', () => {
  test('renders a PNG of the configured size', () => {
    const days = Array.from({ length: 30 }, (_, i) => ({ day: `2024-09-${String(i + 1).padStart(2, '0')}`, messages: i % 7, active: i % 3 }));
    const png = renderActivityChart(days, { title: 'Активность по дням — сентябрь 2024', messages: 'Сообщения', active: 'Активные участники' });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    expect(png.toString('latin1', png.length - 8, png.length - 4)).toBe('IEND');
    expect(png.length).toBeGreaterThan(10_000);
  });
});
