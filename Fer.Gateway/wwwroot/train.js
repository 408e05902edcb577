// Start a training run, follow it live (server-sent events), and manage model versions.
// The shapes are the trainer's (Fer.Trainer/Apis): a job (GET /train/{id}) is { id, state, options, stage, phase, epoch,
// epochs, batch, batches, loss, imagesPerSecond, latest, completedEpochs, message, result, error }, and every server-sent
// event ("state", "progress", "epoch") carries the whole job as it is at that moment.
import { ApiError, request, requestJson, showError, setModelVersion, formatPercent } from './api.js';

const KEY_STORAGE = 'fer.adminKey';
const TERMINAL = ['succeeded', 'failed', 'cancelled'];
const EVENT_NAMES = ['state', 'progress', 'epoch'];
const $ = (id) => document.getElementById(id);

let job = null; // { id, source, losses, state, finished }
let knownProduction = null;

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
    if (!body.id) throw new ApiError(response.status, 'Unexpected answer', 'The trainer accepted the run but did not say its id.');
    watch(String(body.id));
  } catch (error) {
    // 409: another run is going on; its ProblemDetails names it, so follow that one.
    const running = error.status === 409 && error.extra?.id;
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
    const running = (body?.jobs ?? []).find((j) => j.state === 'running' || j.state === 'queued');
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
    let snapshot;
    try {
      snapshot = JSON.parse(event.data);
    } catch {
      return;
    }
    apply(snapshot, event.type);
  };
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

/** Shows one snapshot of the job; `type` is the event's name ("status" for a snapshot read with GET /train/{id}). */
function apply(snapshot, type) {
  setState(snapshot.state);
  $('job-status').textContent = describe(snapshot);
  const fraction = progressOf(snapshot);
  if (fraction != null) $('job-progress').value = fraction;

  // The chart follows the running training loss; snapshots and the other stages repeat or reset it.
  if (type === 'progress' && snapshot.stage === 'training' && typeof snapshot.loss === 'number') {
    job.losses.push(snapshot.loss);
    drawChart(job.losses);
  }
  // While it runs, the latest finished epoch's headline numbers; at the end, the published version's metrics.
  const metrics = snapshot.result?.metrics ?? headline(snapshot.latest);
  if (metrics) renderMetrics(metrics);
  if (TERMINAL.includes(snapshot.state)) finish(job);
}

function headline(epoch) {
  if (!epoch) return null;
  const { trainLoss, validationLoss, validationAccuracy, validationMacroF1 } = epoch;
  return { trainLoss, validationLoss, validationAccuracy, validationMacroF1 };
}

function describe(snapshot) {
  const { state, result } = snapshot;
  if (state === 'failed' || state === 'cancelled') return snapshot.error || `The run ${state}.`;
  if (state === 'succeeded' && result) {
    const outcome = result.promoted ? 'promoted to production' : 'not promoted';
    return `Published ${result.version} (validation macro-F1 ${result.validationMacroF1.toFixed(3)}): ${outcome} (${result.promotionReason}).`;
  }
  if (state === 'queued') return 'Queued…';
  const parts = [];
  if (snapshot.stage) parts.push(snapshot.stage);
  if (snapshot.phase > 0) parts.push(`phase ${snapshot.phase}`);
  if (snapshot.epoch > 0) parts.push(`epoch ${snapshot.epoch}${snapshot.epochs ? ` of ${snapshot.epochs}` : ''}`);
  if (snapshot.batches > 0 && (snapshot.epoch > 0 || snapshot.stage === 'caching')) parts.push(`batch ${snapshot.batch} of ${snapshot.batches}`);
  if (snapshot.stage === 'training' && typeof snapshot.loss === 'number') parts.push(`loss ${snapshot.loss.toFixed(4)}`);
  if (snapshot.latest) parts.push(`validation accuracy ${formatPercent(snapshot.latest.validationAccuracy)}`);
  if (typeof snapshot.imagesPerSecond === 'number') parts.push(`${snapshot.imagesPerSecond.toFixed(0)} images/s`);
  if (snapshot.message && snapshot.stage !== 'training') parts.push(snapshot.message);
  return parts.length ? parts.join(' · ') : 'Starting…';
}

/** Finished epochs (and the current epoch's batches) out of every epoch the options ask for; early stopping may end sooner. */
function progressOf(snapshot) {
  if (snapshot.state === 'succeeded') return 1;
  const total = (snapshot.options?.epochs1 ?? 0) + (snapshot.options?.epochs2 ?? 0);
  if (!total) return null;
  // Batches count only inside an epoch (epoch > 0): the caching stage reports its own batches with epoch 0.
  const inEpoch = (snapshot.stage === 'training' || snapshot.stage === 'validating') && snapshot.epoch > 0 && snapshot.batches > 0;
  const current = inEpoch ? snapshot.batch / snapshot.batches : 0;
  return Math.max(0, Math.min(1, (snapshot.completedEpochs + current) / total));
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
    const versions = data?.versions ?? [];
    const production = data?.production;
    // The badge names the version that answered the last prediction, else production; a new production (promoted or
    // rolled back) replaces the old one there, since the replicas switch to it.
    const shown = $('model-version').textContent;
    if (production && (shown === 'unknown' || shown === knownProduction)) setModelVersion(production);
    knownProduction = production;
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
  const version = v.version;
  const isProduction = version === production;
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
  metricsCell.textContent = summarise(v.metrics);

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

/** A version's validation numbers (metrics.json of the run: valMacroF1, valAccuracy, ...). */
function summarise(metrics) {
  if (!metrics) return '';
  const parts = [];
  if (typeof metrics.valMacroF1 === 'number') parts.push(`val macro-F1 ${metrics.valMacroF1.toFixed(3)}`);
  if (typeof metrics.valAccuracy === 'number') parts.push(`val accuracy ${formatPercent(metrics.valAccuracy)}`);
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

function humanise(name) {
  return name.replace(/([a-z])([A-Z0-9])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}
