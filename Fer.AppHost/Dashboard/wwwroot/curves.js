// Per-epoch curves as SVG: x is the epoch in training order (labelled phase.epoch), y from 0 (or below) to the largest
// value; a dotted line where the second phase starts, the legend in a row above the plot. Same spirit as the metrics chart.
"use strict";

function drawCurves(svg, epochs, lines, { max = null, format = (v) => v.toFixed(2) } = {}) {
  const ns = "http://www.w3.org/2000/svg";
  const add = (tag, attributes, text) => {
    const node = document.createElementNS(ns, tag);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    svg.append(node);
    return node;
  };
  svg.replaceChildren();
  const [w, h, left, right, top, bottom] = [460, 240, 44, 16, 28, 30];
  const values = lines.flatMap((line) => epochs.map((e) => e[line.key])).filter((v) => typeof v === "number");
  if (values.length === 0) {
    add("text", { x: w / 2, y: h / 2, "text-anchor": "middle", class: "empty" }, "waiting for the first finished epoch");
    return;
  }
  const y1 = max ?? (Math.max(...values) * 1.1 || 1);
  const y0 = Math.min(0, ...values);
  const x = (i) => epochs.length === 1 ? left + (w - left - right) / 2 : left + (i / (epochs.length - 1)) * (w - left - right);
  const y = (v) => h - bottom - ((v - y0) / (y1 - y0 || 1)) * (h - top - bottom);

  for (const v of [y0, (y0 + y1) / 2, y1]) {
    add("line", { x1: left, x2: w - right, y1: y(v), y2: y(v), class: "grid" });
    add("text", { x: left - 4, y: y(v) + 4, "text-anchor": "end", class: "tick" }, format(v));
  }
  epochs.forEach((e, i) => {
    add("text", { x: x(i), y: h - bottom + 16, "text-anchor": "middle", class: "tick" }, `${e.phase}.${e.epoch}`);
    if (i > 0 && e.phase !== epochs[i - 1].phase) {
      const middle = (x(i) + x(i - 1)) / 2;
      add("line", { x1: middle, x2: middle, y1: top, y2: h - bottom, class: "phase" });
    }
  });
  add("text", { x: w - right, y: h - 2, "text-anchor": "end", class: "tick" }, "phase.epoch");

  lines.forEach((line) => {
    const points = epochs.map((e, i) => [i, e[line.key]]).filter(([, v]) => typeof v === "number");
    add("polyline", { points: points.map(([i, v]) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" "), stroke: line.color, class: "curve" });
    for (const [i, v] of points) add("circle", { cx: x(i), cy: y(v), r: 3, fill: line.color }).append(title(`${line.name} ${format(v)}`));
  });
  let at = left;
  for (const line of lines) {
    add("rect", { x: at, y: 4, width: 10, height: 10, fill: line.color });
    add("text", { x: at + 14, y: 13, class: "legend" }, line.name);
    at += 14 + line.name.length * 6 + 16;
  }

  function title(text) {
    const node = document.createElementNS(ns, "title");
    node.textContent = text;
    return node;
  }
}
