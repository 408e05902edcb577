// The Fer dashboard: plain JS over the JSON API, refreshed by polling every 2 s (a running training job: server-sent
// events). No external assets. The training and models pages live in training.js and models.js.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { tab: "resources", console: null, consoleAfter: 0, trace: null, services: new Set() };
const colors = ["#0969da", "#cf222e", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7b83", "#6e7781"];

async function get(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "onclick") node.onclick = value; else if (value !== null && value !== undefined) node.setAttribute(key, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(child ?? ""));
  return node;
}

const time = (ms) => new Date(ms).toLocaleTimeString([], { hour12: false }) + "." + String(Math.floor(ms % 1000)).padStart(3, "0");
const duration = (ms) => ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`;
const bytes = (n) => n == null ? "" : n > 1 << 30 ? `${(n / (1 << 30)).toFixed(2)} GiB` : `${(n / (1 << 20)).toFixed(0)} MiB`;

function fillServices(select, services) {
  const current = select.value;
  for (const service of services) {
    if (![...select.options].some((o) => o.value === service)) select.append(el("option", { value: service }, service));
  }
  select.value = current;
}

// Resources ---------------------------------------------------------------------------------------------------------
async function refreshResources() {
  const system = await get("/api/resources");
  const total = `${bytes(system.systemMemoryBytes)} in all`;
  $("summary").textContent = system.allHealthy
    ? `all up (after ${system.allHealthyAfterSeconds?.toFixed(1) ?? "?"} s) · ${total}`
    : `starting or unhealthy · ${total}`;
  const body = $("resource-table").tBodies[0];
  body.replaceChildren();
  for (const resource of system.resources) {
    resource.replicas.forEach((replica, i) => {
      const endpoint = replica.endpoint?.startsWith("http") ? el("a", { href: replica.endpoint, target: "_blank" }, replica.endpoint) : replica.endpoint ?? "";
      body.append(el("tr", { "data-replica": replica.name },
        el("td", { title: resource.note ?? "" }, i === 0 ? `${resource.name} (${resource.kind})` : ""),
        el("td", {}, replica.name),
        el("td", { class: replica.state }, replica.state + (replica.nextStartAt ? ` (next ${time(Date.parse(replica.nextStartAt))})` : "")),
        el("td", { class: replica.health, title: replica.healthDescription ?? "" }, replica.health),
        el("td", {}, endpoint),
        el("td", {}, replica.pid ?? ""),
        el("td", {}, replica.restarts),
        el("td", {}, bytes(replica.memoryBytes)),
        el("td", {}, replica.startedAt ? time(Date.parse(replica.startedAt)) : ""),
        el("td", {},
          el("button", { onclick: () => openConsole(replica.name) }, "console"), " ",
          el("button", { onclick: () => restart(replica.name) }, "restart"))));
    });
  }
  if (state.console) await refreshConsole();
}

async function restart(name) {
  await fetch(`/api/resources/${encodeURIComponent(name)}/restart`, { method: "POST" });
  await refreshResources();
}

function openConsole(name) {
  state.console = name;
  state.consoleAfter = 0;
  $("console-name").textContent = name;
  $("console-lines").replaceChildren();
  $("console-panel").hidden = false;
  refreshConsole();
}

async function refreshConsole() {
  const name = state.console;
  const lines = await get(`/api/resources/${encodeURIComponent(name)}/console?after=${state.consoleAfter}`);
  if (name !== state.console) return;
  const pre = $("console-lines");
  const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
  for (const line of lines) {
    pre.append(el("span", { class: line.stream }, line.text + "\n"));
    state.consoleAfter = line.sequence;
  }
  while (pre.childNodes.length > 5000) pre.firstChild.remove();
  if (atBottom) pre.scrollTop = pre.scrollHeight;
}

// Traces ------------------------------------------------------------------------------------------------------------
async function refreshTraces() {
  const query = new URLSearchParams({ service: $("trace-service").value, q: $("trace-text").value, errors: $("trace-errors").checked });
  const traces = await get(`/api/traces?${query}`);
  fillServices($("trace-service"), new Set(traces.flatMap((t) => t.services).concat([...state.services])));
  const body = $("trace-table").tBodies[0];
  body.replaceChildren();
  for (const trace of traces) {
    body.append(el("tr", { class: "clickable", onclick: () => openTrace(trace.traceId) },
      el("td", {}, time(trace.startMs)), el("td", {}, trace.name), el("td", {}, trace.services.join(", ")),
      el("td", {}, trace.spanCount), el("td", {}, duration(trace.durationMs)),
      el("td", { class: trace.errorCount ? "Error" : "" }, trace.errorCount || "")));
  }
}

async function openTrace(traceId) {
  state.trace = traceId;
  const spans = await get(`/api/traces/${traceId}`);
  $("trace-id").textContent = traceId;
  $("trace-detail").hidden = false;
  const start = Math.min(...spans.map((s) => s.startMs));
  const total = Math.max(...spans.map((s) => s.endMs)) - start || 1;
  const children = new Map();
  const ids = new Set(spans.map((s) => s.spanId));
  for (const span of spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : "";
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(span);
  }
  const waterfall = $("waterfall");
  waterfall.replaceChildren();
  const add = (span, depth) => {
    const left = ((span.startMs - start) / total) * 100;
    const width = Math.max((span.durationMs / total) * 100, 0.2);
    waterfall.append(el("div", { class: "row", onclick: () => showSpan(span) },
      el("div", { class: "label", style: `padding-left:${depth * 14 + 4}px`, title: span.name }, `${span.service}: ${span.name}`),
      el("div", { class: "lane" }, el("div", { class: `bar${span.isError ? " error" : ""}`, style: `left:${left}%;width:${width}%` })),
      el("div", { class: "duration" }, duration(span.durationMs))));
    for (const child of children.get(span.spanId) ?? []) add(child, depth + 1);
  };
  for (const root of children.get("") ?? []) add(root, 0);
  $("span-detail").replaceChildren();
}

function showSpan(span) {
  const rows = [["service", `${span.service} (${span.instance ?? "?"})`], ["kind", span.kind], ["status", span.status + (span.statusMessage ? `: ${span.statusMessage}` : "")],
    ["scope", span.scope], ["start", time(span.startMs)], ["duration", duration(span.durationMs)], ...Object.entries(span.attributes)];
  const table = el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, span.name), el("th", {}, span.spanId))));
  for (const [key, value] of rows) table.append(el("tr", {}, el("td", {}, key), el("td", {}, value)));
  for (const event of span.events) {
    table.append(el("tr", {}, el("td", {}, `event @ ${duration(event.timeMs - span.startMs)}`),
      el("td", {}, `${event.name} ${Object.entries(event.attributes).map(([k, v]) => `${k}=${v}`).join(" ")}`)));
  }
  $("span-detail").replaceChildren(table);
}

// Logs --------------------------------------------------------------------------------------------------------------
async function refreshLogs() {
  const query = new URLSearchParams({ service: $("log-service").value, level: $("log-level").value, q: $("log-text").value, traceId: $("log-trace").value, limit: 300 });
  const logs = await get(`/api/logs?${query}`);
  fillServices($("log-service"), new Set(logs.map((l) => l.service).concat([...state.services])));
  const body = $("log-table").tBodies[0];
  body.replaceChildren();
  for (const log of logs.reverse()) {
    const trace = log.traceId ? el("a", { href: "#", onclick: (e) => { e.preventDefault(); show("traces"); openTrace(log.traceId); } }, log.traceId.slice(0, 8)) : "";
    body.append(el("tr", {}, el("td", {}, time(log.timeMs)), el("td", { class: log.level }, log.level),
      el("td", {}, log.instance ?? log.service), el("td", {}, log.category), el("td", {}, log.body), el("td", {}, trace)));
  }
}

// Metrics -----------------------------------------------------------------------------------------------------------
async function refreshMetrics() {
  const instruments = await get("/api/metrics");
  const select = $("instrument");
  const current = select.value;
  for (const i of instruments) state.services.add(i.service);
  if (select.options.length !== instruments.length) {
    select.replaceChildren(...instruments.map((i) => el("option", { value: `${i.service}/${i.name}` }, `${i.service} · ${i.name}${i.unit ? ` (${i.unit})` : ""}`)));
    select.value = current || (instruments.find((i) => i.name === "process.cpu.utilization") ? `${instruments.find((i) => i.name === "process.cpu.utilization").service}/process.cpu.utilization` : select.value);
  }
  if (!select.value) return;
  const [service, ...name] = select.value.split("/");
  const info = instruments.find((i) => i.service === service && i.name === name.join("/"));
  $("instrument-info").textContent = info ? `${info.type}${info.type === "histogram" ? " (mean per interval)" : ""}: ${info.description}` : "";
  drawChart(await get(`/api/metrics/${encodeURIComponent(service)}/${encodeURIComponent(name.join("/"))}`), info?.unit ?? "");
}

function drawChart(series, unit) {
  const svg = $("chart");
  const ns = "http://www.w3.org/2000/svg";
  svg.replaceChildren();
  const points = series.flatMap((s) => s.points);
  if (points.length === 0) return;
  const [x0, x1] = [Math.min(...points.map((p) => p[0])), Math.max(...points.map((p) => p[0]))];
  const [y0, y1] = [Math.min(0, ...points.map((p) => p[1])), Math.max(...points.map((p) => p[1])) || 1];
  const [w, h, pad] = [900, 320, 40];
  const x = (t) => pad + ((t - x0) / (x1 - x0 || 1)) * (w - pad - 10);
  const y = (v) => h - 20 - ((v - y0) / (y1 - y0 || 1)) * (h - 40);
  for (const [v, label] of [[y0, y0], [y1, y1]]) {
    const text = document.createElementNS(ns, "text");
    text.setAttribute("x", 2); text.setAttribute("y", y(v) + 4); text.setAttribute("font-size", "10");
    text.textContent = `${Number(label.toPrecision(3))} ${unit}`;
    svg.append(text);
  }
  const legend = $("legend");
  legend.replaceChildren();
  series.forEach((s, i) => {
    const line = document.createElementNS(ns, "polyline");
    line.setAttribute("fill", "none");
    line.setAttribute("stroke", colors[i % colors.length]);
    line.setAttribute("stroke-width", "1.5");
    line.setAttribute("points", s.points.map((p) => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(" "));
    svg.append(line);
    const attrs = Object.entries(s.attributes).map(([k, v]) => `${k}=${v}`).join(" ");
    legend.append(el("span", { style: `color:${colors[i % colors.length]}` }, `■ ${s.instance ?? ""} ${attrs}`));
  });
}

// Host / GPU --------------------------------------------------------------------------------------------------------
async function refreshHost() {
  const readings = await get("/api/host");
  const body = $("host-table").tBodies[0];
  body.replaceChildren();
  readings.sort((a, b) => (a.instance ?? a.service).localeCompare(b.instance ?? b.service) || a.name.localeCompare(b.name));
  for (const r of readings) {
    const value = r.unit === "By" ? bytes(r.value) : r.unit === "1" ? `${(r.value * 100).toFixed(1)} %` : `${r.value.toFixed(1)} ${r.unit}`;
    body.append(el("tr", {}, el("td", {}, r.service), el("td", {}, r.instance ?? ""), el("td", {}, r.name),
      el("td", {}, Object.entries(r.attributes).map(([k, v]) => `${k}=${v}`).join(" ")), el("td", {}, value)));
  }
}

// Tabs and polling ---------------------------------------------------------------------------------------------------
const refreshers = { resources: refreshResources, traces: refreshTraces, logs: refreshLogs, metrics: refreshMetrics, host: refreshHost,
  training: refreshTraining, models: refreshModels };

function show(tab) {
  if (!refreshers[tab]) tab = "resources";
  state.tab = tab;
  if (location.hash !== `#${tab}`) history.replaceState(null, "", `#${tab}`);
  for (const button of document.querySelectorAll("#tabs button")) button.classList.toggle("active", button.dataset.tab === tab);
  for (const section of document.querySelectorAll(".tab")) section.classList.toggle("active", section.id === tab);
  refresh();
}

async function refresh() {
  try {
    await refreshers[state.tab]();
  } catch (error) {
    $("summary").textContent = `dashboard API unreachable: ${error.message}`;
  }
}

for (const button of document.querySelectorAll("#tabs button")) button.onclick = () => show(button.dataset.tab);
$("console-close").onclick = () => { state.console = null; $("console-panel").hidden = true; };
$("trace-close").onclick = () => { state.trace = null; $("trace-detail").hidden = true; };
for (const id of ["trace-service", "trace-errors", "log-service", "log-level", "instrument"]) $(id).onchange = refresh;
for (const id of ["trace-text", "log-text", "log-trace"]) $(id).oninput = refresh;
setInterval(refresh, 2000);
// A tab can be linked to (#traces, #logs, #metrics, #host, #training, #models), and so can a trace (#trace=<id>).
const initial = location.hash.slice(1);
if (initial.startsWith("trace=")) { show("traces"); openTrace(initial.slice(6)); } else show(initial);
