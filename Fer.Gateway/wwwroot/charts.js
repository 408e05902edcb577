// Per-epoch curves as SVG (no library: the page must work offline). x: the epochs in training order, labelled
// phase.epoch, with a dashed line where phase 2 starts; y: from 0 (or the lowest value) to the highest, or a fixed top.
// A hollow point marks the running epoch's loss so far, before the epoch has finished.

const PLOT_HEIGHT = 170;
const PAD = { left: 46, right: 14, bottom: 34 };
const LEGEND_ROW = 18;
const CHARACTER_WIDTH = 6.6; // of the 12 px legend text, near enough to lay the legend out in rows

/**
 * @param svg the <svg> to draw into
 * @param epochs finished epochs [{ phase, epoch, ...values }]
 * @param lines [{ key, name, color }]: which values, in which colour
 * @param options { max, format, running: { phase, epoch, key, value }, empty: what to say before there is any point }
 */
export function drawCurves(svg, epochs, lines, { max = null, format = (v) => v.toFixed(2), running = null, empty = 'Waiting for the first finished epoch…' } = {}) {
  const ns = svg.namespaceURI; // the SVG namespace, from the page's own <svg> element
  // One unit of the drawing is one pixel of the page: text keeps its size on a phone, and the legend wraps instead.
  const width = Math.round(Math.min(640, Math.max(280, svg.clientWidth || 520)));
  svg.replaceChildren();
  const add = (tag, attributes, text) => {
    const node = document.createElementNS(ns, tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = text;
    svg.append(node);
    return node;
  };

  let legendX = 4;
  let legendY = 6;
  for (const line of lines) {
    const itemWidth = 15 + line.name.length * CHARACTER_WIDTH + 16;
    if (legendX > 4 && legendX + itemWidth > width) {
      legendX = 4;
      legendY += LEGEND_ROW;
    }
    add('rect', { x: legendX, y: legendY, width: 10, height: 10, rx: 2, fill: line.color });
    add('text', { x: legendX + 15, y: legendY + 9, class: 'legend' }, line.name);
    legendX += itemWidth;
  }
  const pad = { ...PAD, top: legendY + LEGEND_ROW + 14 };
  const height = pad.top + PLOT_HEIGHT + pad.bottom;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);

  const slots = running ? [...epochs, running] : epochs;
  const values = lines.flatMap((line) => epochs.map((e) => e[line.key]))
    .concat(running ? [running.value] : [])
    .filter((v) => typeof v === 'number' && Number.isFinite(v));
  if (values.length === 0) {
    add('text', { x: width / 2, y: height / 2 + 6, 'text-anchor': 'middle', class: 'empty' }, empty);
    return;
  }
  const bottom = Math.min(0, ...values);
  const step = niceStep(((max ?? Math.max(...values)) - bottom) / 4);
  const top = max ?? Math.ceil((Math.max(...values) * 1.04) / step) * step;
  const plotWidth = width - pad.left - pad.right;
  const x = (i) => (slots.length === 1 ? pad.left + plotWidth / 2 : pad.left + (i / (slots.length - 1)) * plotWidth);
  const y = (v) => height - pad.bottom - ((v - bottom) / (top - bottom || 1)) * (height - pad.top - pad.bottom);

  for (let v = bottom; v <= top + step / 1000; v += step) {
    add('line', { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v), class: 'grid' });
    add('text', { x: pad.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, format(v));
  }
  const labelEvery = Math.ceil(slots.length / 12);
  slots.forEach((e, i) => {
    if (i % labelEvery === 0 || i === slots.length - 1) {
      add('text', { x: x(i), y: height - pad.bottom + 16, 'text-anchor': 'middle', class: 'tick' }, `${e.phase}.${e.epoch}`);
    }
    if (i > 0 && e.phase !== slots[i - 1].phase) {
      const middle = (x(i) + x(i - 1)) / 2;
      add('line', { x1: middle, x2: middle, y1: pad.top - 6, y2: height - pad.bottom, class: 'phase' });
      add('text', { x: middle + 4, y: pad.top + 4, class: 'tick' }, `phase ${e.phase}`);
    }
  });
  add('text', { x: width - pad.right, y: height - 4, 'text-anchor': 'end', class: 'axis' }, 'phase.epoch');

  for (const line of lines) {
    const points = epochs.map((e, i) => [i, e[line.key]]).filter(([, v]) => typeof v === 'number' && Number.isFinite(v));
    if (points.length > 1) {
      add('polyline', { points: points.map(([i, v]) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' '), stroke: line.color, class: 'curve' });
    }
    for (const [i, v] of points) {
      const epoch = epochs[i];
      add('circle', { cx: x(i), cy: y(v), r: 3.5, fill: line.color, class: 'point', 'data-key': line.key })
        .append(title(`${line.name}, phase ${epoch.phase} epoch ${epoch.epoch}: ${format(v)}`));
    }
  }
  if (running && typeof running.value === 'number' && Number.isFinite(running.value)) {
    const line = lines.find((l) => l.key === running.key) ?? lines[0];
    add('circle', { cx: x(slots.length - 1), cy: y(running.value), r: 4.5, stroke: line.color, class: 'running' })
      .append(title(`${line.name} so far in phase ${running.phase} epoch ${running.epoch}: ${format(running.value)}`));
  }

  function title(text) {
    const node = document.createElementNS(ns, 'title');
    node.textContent = text;
    return node;
  }
}

/** A round step for grid lines near `raw`: 1, 2, 2.5 or 5 times a power of ten (0.37 -> 0.5, 0.21 -> 0.25). */
function niceStep(raw) {
  if (!(raw > 0)) return 0.25;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((s) => s * magnitude).find((s) => s >= raw);
}
