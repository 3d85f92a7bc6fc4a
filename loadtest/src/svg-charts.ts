/** A named series of (x, y) points for a line chart. */
export interface Line {
  name: string;
  points: readonly (readonly [number, number])[];
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf'];
const W = 720;
const H = 260;
const PAD = { left: 60, right: 150, top: 28, bottom: 36 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (n: number) =>
  Math.abs(n) >= 1000 ? `${Math.round(n / 100) / 10}k` : `${Math.round(n * 10) / 10}`;

function niceMax(max: number): number {
  if (max <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * step >= max) return m * step;
  return 10 * step;
}

/** A self-contained SVG line chart (no scripts, no external assets). */
export function lineChart(
  title: string,
  xLabel: string,
  yLabel: string,
  lines: readonly Line[],
): string {
  const xs = lines.flatMap((l) => l.points.map((p) => p[0]));
  const ys = lines.flatMap((l) => l.points.map((p) => p[1]));
  const xMin = Math.min(0, ...xs);
  const xMax = Math.max(1, ...xs);
  const yMax = niceMax(Math.max(0, ...ys));
  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  const sx = (x: number) => PAD.left + ((x - xMin) / (xMax - xMin)) * iw;
  const sy = (y: number) => PAD.top + ih - (y / yMax) * ih;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
    `<text x="${PAD.left}" y="16" font-size="13" font-weight="bold">${esc(title)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const y = (yMax * i) / 4;
    parts.push(
      `<line x1="${PAD.left}" x2="${PAD.left + iw}" y1="${sy(y)}" y2="${sy(y)}" stroke="#ddd"/>`,
      `<text x="${PAD.left - 6}" y="${sy(y) + 4}" text-anchor="end">${fmt(y)}</text>`,
    );
  }
  for (let i = 0; i <= 5; i++) {
    const x = xMin + ((xMax - xMin) * i) / 5;
    parts.push(`<text x="${sx(x)}" y="${H - 18}" text-anchor="middle">${fmt(x)}</text>`);
  }
  parts.push(
    `<text x="${PAD.left + iw / 2}" y="${H - 4}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text transform="translate(12 ${PAD.top + ih / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`,
  );
  lines.forEach((line, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const d = line.points
      .map(
        (p, j) =>
          `${j === 0 ? 'M' : 'L'}${sx(p[0]).toFixed(1)} ${sy(Math.min(p[1], yMax)).toFixed(1)}`,
      )
      .join('');
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.5"/>`);
    parts.push(
      `<rect x="${W - PAD.right + 12}" y="${PAD.top + i * 16}" width="10" height="10" fill="${colour}"/>`,
      `<text x="${W - PAD.right + 26}" y="${PAD.top + i * 16 + 9}">${esc(line.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('');
}

/** A bar chart of counts per bucket, e.g. a latency histogram. */
export function barChart(
  title: string,
  labels: readonly string[],
  counts: readonly number[],
): string {
  const yMax = niceMax(Math.max(0, ...counts));
  const iw = W - PAD.left - 20;
  const ih = H - PAD.top - PAD.bottom;
  const bw = iw / Math.max(1, counts.length);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="10">`,
    `<text x="${PAD.left}" y="16" font-size="13" font-weight="bold">${esc(title)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const y = PAD.top + ih - (ih * i) / 4;
    parts.push(
      `<line x1="${PAD.left}" x2="${PAD.left + iw}" y1="${y}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${PAD.left - 6}" y="${y + 4}" text-anchor="end">${fmt((yMax * i) / 4)}</text>`,
    );
  }
  counts.forEach((n, i) => {
    const h = (n / yMax) * ih;
    const x = PAD.left + i * bw;
    parts.push(
      `<rect x="${(x + 1).toFixed(1)}" y="${(PAD.top + ih - h).toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="#1f77b4"><title>${esc(labels[i] ?? '')}: ${n}</title></rect>`,
      `<text x="${(x + bw / 2).toFixed(1)}" y="${H - 20}" text-anchor="middle">${esc(labels[i] ?? '')}</text>`,
    );
  });
  parts.push(
    `<text x="${PAD.left + iw / 2}" y="${H - 4}" text-anchor="middle">ms (upper bound of bucket)</text></svg>`,
  );
  return parts.join('');
}
