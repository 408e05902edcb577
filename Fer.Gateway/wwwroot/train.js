// Start a training run, follow it live (server-sent events), and manage model versions.
import { ApiError, request, requestJson, showError, setModelVersion } from './api.js';

const KEY_STORAGE = 'fer.adminKey';
const TERMINAL = ['succeeded', 'failed', 'cancelled'];
const EVENT_NAMES = ['progress', 'state', 'status', 'phase', 'epoch', 'batch', 'metrics', 'log', 'completed', 'done', 'succeeded', 'failed', 'cancelled'];
const $ = (id) => document.getElementById(id);

let job = null; // { id, source, losses, state }

export function initTrain() {
  const key = $('admin-key');
  key.value = sessionStorage.getItem(KEY_STORAGE) || '';
  key.addEventListener('input', () => sessionStorage.setItem(KEY_STORAGE, key.value.trim()));
  $('train-form').addEventListener('submit', startTraining);
  $('train-cancel').addEventListener('click', cancelTraining);
  $('models-refresh').addEventListener('click', () => loadModels());
  $('models-rollback').addEventListener('click', rollback);
  $('models-body').addEventListener('click', (event) => {
    const button = event.target.closest('button[data-promote]');
    if (button) promote(button.dataset.promote, button);
  });
  loadModels();
  resumeRunningJob();
}

function adminHeaders() {
  const key = $('admin-key').value.trim();
  if (!key) {
    $('admin-key').focus();
    throw new ApiError(401, 'Admin key required', 'Enter the admin key (the gateway prints it at start-up, or FER_ADMIN_KEY).');
  }
  return { 'X-Api-Key': key };
}

function trainingOptions() {
  const options = {};
  for (const element of $('train-form').querySelectorAll('[name]')) {
    const value = element.value.trim();
    if (value === '') continue;
    options[element.name] = element.type === 'number' || element.name === 'imageSize' ? Number(value) : value;
  }
  return options;
}

async function startTraining(event) {
  event.preventDefault();
  const box = $('train-error');
  showError(box, null);
  const button = $('train-start');
  button.disabled = true;
  try {
    const response = await request('/train', {
      method: 'POST',
      headers: { ...adminHeaders(), 'Content-Type': 'application/json' },
      body: JSON.stringify(trainingOptions()),
    });
    const body = await response.json().catch(() => ({}));
    const id = body.id ?? body.jobId ?? (response.headers.get('location') || '').split('/').pop();
    if (!id) throw new ApiError(response.status, 'Unexpected answer', 'The trainer accepted the run but did not say its id.');
    watch(String(id));
  } catch (error) {
    const running = error.status === 409 && (error.extra?.id || error.extra?.jobId || error.extra?.runningJobId);
    if (running) watch(String(running));
    showError(box, error);
  } finally {
    button.disabled = false;
  }
}

async function cancelTraining() {
  if (!job) return;
  const box = $('train-error');
  showError(box, null);
  try {
    await request(`/train/${encodeURIComponent(job.id)}/cancel`, { method: 'POST', headers: adminHeaders() });
    $('job-status').textContent = 'Cancelling…';
  } catch (error) {
    showError(box, error);
  }
}

async function resumeRunningJob() {
  try {
    const body = await requestJson('/train');
    const jobs = Array.isArray(body) ? body : body?.jobs ?? body?.items ?? [];
    const running = jobs.find((j) => j && (j.state === 'running' || j.state === 'queued'));
    if (running?.id) watch(String(running.id));
  } catch {
    // No trainer yet, or no jobs: the panel simply starts empty.
  }
}

function watch(id) {
  if (job?.source) job.source.close();
  job = { id, source: null, losses: [], state: 'queued' };
  $('job').hidden = false;
  $('job-id').textContent = id;
  $('job-metrics').replaceChildren();
  $('job-status').textContent = 'Waiting for the first progress report…';
  $('job-progress').removeAttribute('value');
  setState('queued');
  drawChart([]);

  const current = job;
  const source = new EventSource(`/train/${encodeURIComponent(id)}/events`);
  current.source = source;
  const onEvent = (event) => {
    if (job !== current) return;
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      data = { message: event.data };
    }
    apply(data, event.type);
  };
  source.onmessage = onEvent;
  for (const name of EVENT_NAMES) source.addEventListener(name, onEvent);
  source.onerror = async () => {
    // The stream ended or broke: ask for the job itself, and stop listening once it is over.
    if (job !== current) return;
    const state = await refreshJob(current);
    if (TERMINAL.includes(state)) finish(current);
  };
  refreshJob(current);
}

async function refreshJob(current) {
  try {
    const body = await requestJson(`/train/${encodeURIComponent(current.id)}`);
    if (job === current && body) apply(body, 'status');
    return body?.state;
  } catch {
    return undefined;
  }
}

function apply(raw, type) {
  const data = { ...(raw.job || {}), ...(raw.progress && typeof raw.progress === 'object' ? raw.progress : {}), ...raw };
  const state = data.state || (TERMINAL.includes(type) ? type : null) || (job.state === 'queued' && data.epoch ? 'running' : job.state);
  setState(state);

  const parts = [];
  if (data.phase != null) parts.push(`phase ${data.phase}`);
  if (data.epoch != null) parts.push(`epoch ${data.epoch}${data.epochs ?? data.totalEpochs ? ` of ${data.epochs ?? data.totalEpochs}` : ''}`);
  if (data.batch != null) parts.push(`batch ${data.batch}${data.batches ? ` of ${data.batches}` : ''}`);
  if (typeof data.loss === 'number') parts.push(`loss ${data.loss.toFixed(4)}`);
  const accuracy = data.valAccuracy ?? data.accuracy;
  if (typeof accuracy === 'number') parts.push(`accuracy ${(accuracy * 100).toFixed(1)}%`);
  if (typeof data.imagesPerSecond === 'number') parts.push(`${data.imagesPerSecond.toFixed(0)} images/s`);
  if (data.message && typeof data.message === 'string') parts.push(data.message);
  if (data.error && typeof data.error === 'string') parts.push(data.error);
  if (parts.length) $('job-status').textContent = parts.join(' · ');

  const fraction = typeof data.progress === 'number' ? data.progress : typeof data.fraction === 'number' ? data.fraction : null;
  if (fraction != null) $('job-progress').value = Math.max(0, Math.min(1, fraction));
  if (state === 'succeeded') $('job-progress').value = 1;

  if (typeof data.loss === 'number') {
    job.losses.push(data.loss);
    drawChart(job.losses);
  }
  const metrics = data.metrics ?? data.result?.metrics ?? data.latestMetrics;
  if (metrics) renderMetrics(typeof metrics === 'string' ? safeParse(metrics) : metrics);
  if (TERMINAL.includes(state)) finish(job);
}

function finish(current) {
  if (current.finished) return;
  current.finished = true;
  current.source?.close();
  $('train-cancel').hidden = true;
  loadModels();
}

function setState(state) {
  if (!job || !state) return;
  job.state = state;
  const badge = $('job-state');
  badge.textContent = state;
  badge.className = `state ${state}`;
  $('train-cancel').hidden = TERMINAL.includes(state);
}

function renderMetrics(metrics) {
  if (!metrics || typeof metrics !== 'object') return;
  const items = Object.entries(metrics).filter(([, v]) => typeof v === 'number');
  $('job-metrics').replaceChildren(...items.map(([name, value]) => {
    const div = document.createElement('div');
    const dt = document.createElement('dt');
    dt.textContent = humanise(name);
    const dd = document.createElement('dd');
    dd.textContent = Number.isInteger(value) ? String(value) : value.toFixed(4);
    div.append(dt, dd);
    return div;
  }));
}

function drawChart(values) {
  const canvas = $('job-chart');
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 600;
  const height = canvas.clientHeight || 140;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const ctx = canvas.getContext('2d');
  ctx.scale(ratio, ratio);
  ctx.clearRect(0, 0, width, height);
  const style = getComputedStyle(document.documentElement);
  ctx.fillStyle = style.getPropertyValue('--muted');
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillText(values.length ? `loss ${values[values.length - 1].toFixed(4)}` : 'loss (waiting for data)', 10, 16);
  if (values.length < 2) return;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const pad = 24;
  ctx.strokeStyle = style.getPropertyValue('--accent');
  ctx.lineWidth = 2;
  ctx.beginPath();
  values.forEach((v, i) => {
    const x = pad + (i / (values.length - 1)) * (width - 2 * pad);
    const y = height - pad + 8 - ((v - min) / (max - min || 1)) * (height - 2 * pad);
    if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
  });
  ctx.stroke();
}

async function loadModels() {
  const body = $('models-body');
  try {
    const data = await requestJson('/models');
    const versions = Array.isArray(data) ? data : data?.versions ?? data?.models ?? data?.items ?? [];
    const production = (!Array.isArray(data) && (data?.production ?? data?.productionVersion)) ||
      versions.find((v) => v.isProduction || v.production === true || v.stage === 'production')?.version;
    if (production && document.getElementById('model-version').textContent === 'unknown') setModelVersion(production);
    if (versions.length === 0) {
      body.replaceChildren(row('No model versions yet. Train one above.'));
      return;
    }
    body.replaceChildren(...versions.map((v) => versionRow(v, production)));
  } catch (error) {
    body.replaceChildren(row(`Could not load the versions: ${error.message}`));
  }
}

function versionRow(v, production) {
  const version = String(v.version ?? v.id ?? '?');
  const isProduction = version === production || v.isProduction === true || v.production === true;
  const tr = document.createElement('tr');
  tr.dataset.version = version;

  const name = document.createElement('td');
  const code = document.createElement('code');
  code.textContent = version;
  name.append(code);
  if (isProduction) {
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.textContent = 'production';
    name.append(badge);
  }

  const created = document.createElement('td');
  created.className = 'col-created';
  const at = v.createdAt ? new Date(v.createdAt) : null;
  created.textContent = at && !Number.isNaN(at.getTime()) ? at.toLocaleString() : '';

  const metricsCell = document.createElement('td');
  metricsCell.textContent = summarise(typeof v.metrics === 'object' && v.metrics ? v.metrics : safeParse(v.metricsJson ?? v.metrics));

  const actions = document.createElement('td');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'small';
  button.dataset.promote = version;
  button.textContent = 'Promote';
  button.disabled = isProduction;
  button.setAttribute('aria-label', `Promote ${version} to production`);
  actions.append(button);

  tr.append(name, created, metricsCell, actions);
  return tr;
}

async function promote(version, button) {
  const box = $('train-error');
  showError(box, null);
  button.disabled = true;
  try {
    await request(`/models/${encodeURIComponent(version)}/promote`, { method: 'POST', headers: adminHeaders() });
    await loadModels();
  } catch (error) {
    button.disabled = false;
    showError(box, error);
  }
}

async function rollback() {
  const box = $('train-error');
  showError(box, null);
  try {
    await request('/models/rollback', { method: 'POST', headers: adminHeaders() });
    await loadModels();
  } catch (error) {
    showError(box, error);
  }
}

function summarise(metrics) {
  if (!metrics || typeof metrics !== 'object') return '';
  const pick = (pattern) => Object.entries(metrics).find(([k, v]) => pattern.test(k) && typeof v === 'number');
  const parts = [];
  const f1 = pick(/macro.?f1/i);
  const accuracy = pick(/acc/i);
  if (f1) parts.push(`macro-F1 ${f1[1].toFixed(3)}`);
  if (accuracy) parts.push(`accuracy ${(accuracy[1] * 100).toFixed(1)}%`);
  return parts.join(', ');
}

function row(text) {
  const tr = document.createElement('tr');
  const td = document.createElement('td');
  td.colSpan = 4;
  td.className = 'muted';
  td.textContent = text;
  tr.append(td);
  return tr;
}

function safeParse(text) {
  if (typeof text !== 'string') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function humanise(name) {
  return name.replace(/([a-z])([A-Z0-9])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}
