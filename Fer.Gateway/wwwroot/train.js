// Start a training run, follow it live (server-sent events through the gateway), and show what it produced.
// The shapes are the trainer's (Fer.Trainer/Apis, Fer.Trainer/Jobs/TrainJob.cs): a job (GET /train/{id}) is { id,
// state, options, stage, phase, epoch, epochs, batch, batches, loss, imagesPerSecond, latest, completedEpochs, message,
// result, error, timings }, and every server-sent event ("state", "progress", "epoch") carries the whole job as it is
// at that moment; `latest` is the latest finished epoch. Once the run has published a version, that version's metrics
// (GET /models/{version}) give the whole epoch history and the evaluation's confusion matrix.
import { ApiError, request, requestJson, showError } from './api.js';
import { adminHeaders } from './admin.js';
import { $, el, fixed, percent, duration } from './dom.js';
import { drawCurves } from './charts.js';
import { renderEvaluation } from './evaluation.js';
import { loadModels } from './models.js';

const TERMINAL = ['succeeded', 'failed', 'cancelled'];
const EVENT_NAMES = ['state', 'progress', 'epoch'];
const LOSS_LINES = [
  { key: 'trainLoss', name: 'train loss', color: '#4453d6' },
  { key: 'validationLoss', name: 'validation loss', color: '#d6336c' },
];
const ACCURACY_LINES = [
  { key: 'trainAccuracy', name: 'train accuracy', color: '#4453d6' },
  { key: 'validationAccuracy', name: 'validation accuracy', color: '#d6336c' },
  { key: 'validationMacroF1', name: 'validation macro-F1', color: '#1f9d63' },
];
// The headline numbers of a run, in the order shown, with their formats.
const METRICS = [
  ['valMacroF1', 'Validation macro-F1', fixed],
  ['valAccuracy', 'Validation accuracy', percent],
  ['valLoss', 'Validation loss', (v) => fixed(v, 4)],
  ['accuracy', 'Test accuracy', percent],
  ['macroF1', 'Test macro-F1', fixed],
  ['weightedF1', 'Test weighted F1', fixed],
  ['macroRocAuc', 'Test ROC AUC (macro)', fixed],
  ['trainSeconds', 'Training time', duration],
];

let job = null; // { id, source, state, finished, epochs: Map, running, evaluated, lastStats }

export function initTrain() {
  $('train-form').addEventListener('submit', startTraining);
  $('train-cancel').addEventListener('click', cancelTraining);
  $('runs-refresh').addEventListener('click', () => loadRuns());
  drawEpochCurves(null);
  let resizing = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizing);
    resizing = setTimeout(() => drawEpochCurves(job), 150);
  });
  resumeRunningJob();
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
    const cancelled = job;
    await request(`/train/${encodeURIComponent(cancelled.id)}/cancel`, { method: 'POST', headers: adminHeaders() });
    // The job's own "cancelled" event may have arrived while the request was answered: never write over its final words.
    if (job === cancelled && !TERMINAL.includes(job.state)) $('job-status').textContent = 'Cancelling…';
  } catch (error) {
    showError(box, error);
  }
}

async function resumeRunningJob() {
  const jobs = await loadRuns();
  const running = jobs.find((j) => !TERMINAL.includes(j.state));
  if (running?.id) watch(String(running.id));
}

/** Follows one job: its events while it runs (or its final state once, when it is over), then its version. */
function watch(id) {
  if (job?.source) job.source.close();
  job = { id, source: null, state: 'queued', epochs: new Map(), running: null, evaluated: null, lastStats: null };
  $('job').hidden = false;
  $('job-id').textContent = id;
  $('job-metrics').replaceChildren();
  $('job-stats').replaceChildren();
  $('job-evaluation-section').hidden = true;
  $('job-status').textContent = 'Waiting for the first progress report…';
  $('job-progress').removeAttribute('value');
  $('job-percent').textContent = '';
  setState('queued');
  drawEpochCurves(job);
  markSelectedRun();

  const current = job;
  const source = new EventSource(`/train/${encodeURIComponent(id)}/events`);
  current.source = source;
  setLive('connecting…');
  const onEvent = (event) => {
    if (job !== current) return;
    let snapshot;
    try {
      snapshot = JSON.parse(event.data);
    } catch {
      return;
    }
    setLive(TERMINAL.includes(snapshot.state) ? '' : 'live');
    apply(snapshot, event.type);
  };
  for (const name of EVENT_NAMES) source.addEventListener(name, onEvent);
  source.onerror = async () => {
    // The stream ended (the job did) or broke (the gateway or trainer restarted): ask for the job itself; stop once it is over.
    if (job !== current) return;
    const state = await refreshJob(current);
    if (TERMINAL.includes(state)) finish(current);
    else setLive(source.readyState === EventSource.CLOSED ? 'disconnected' : 'reconnecting…');
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
  const previousState = job.state;
  setState(snapshot.state);
  $('job-status').textContent = describe(snapshot);
  const fraction = progressOf(snapshot);
  if (fraction != null) {
    $('job-progress').value = fraction;
    $('job-percent').textContent = `${Math.floor(fraction * 100)}%`;
  }
  renderStats(snapshot, fraction);

  const epochAdded = snapshot.latest && addEpoch(snapshot.latest);
  const running = type !== 'status' && snapshot.state === 'running' && snapshot.stage === 'training' && snapshot.epoch > 0
    && Number.isFinite(snapshot.loss) && !job.epochs.has(key(snapshot))
    ? { phase: snapshot.phase, epoch: snapshot.epoch, key: 'trainLoss', value: snapshot.loss }
    : null;
  if (epochAdded || running || job.running || (snapshot.state !== previousState && TERMINAL.includes(snapshot.state))) {
    job.running = running;
    drawEpochCurves(job);
  }

  // While it runs, the latest finished epoch's numbers; at the end, the published version's metrics.
  renderMetrics(snapshot.result?.metrics ?? headline(snapshot.latest));
  if (snapshot.state !== previousState) loadRuns();
  if (TERMINAL.includes(snapshot.state)) finish(job);
  if (snapshot.state === 'succeeded' && snapshot.result?.version) showRunEvaluation(job, snapshot.result.version);
}

function key(e) {
  return `${e.phase}.${e.epoch}`;
}

function addEpoch(e) {
  if (job.epochs.has(key(e))) return false;
  job.epochs.set(key(e), e);
  return true;
}

function drawEpochCurves(current) {
  const epochs = current ? [...current.epochs.values()].sort((a, b) => a.phase - b.phase || a.epoch - b.epoch) : [];
  const empty = current && TERMINAL.includes(current.state) ? `No epoch finished before the run ${current.state === 'succeeded' ? 'ended' : current.state}.` : undefined;
  drawCurves($('loss-chart'), epochs, LOSS_LINES, { format: (v) => v.toFixed(2), running: current?.running, empty });
  drawCurves($('accuracy-chart'), epochs, ACCURACY_LINES, { max: 1, format: (v) => `${Math.round(v * 100)}%`, empty });
}

/** The version's own record: every epoch (the page may have joined mid-run) and the confusion matrix of its evaluation. */
async function showRunEvaluation(current, version) {
  if (current.evaluated === version) return;
  current.evaluated = version;
  let info;
  try {
    info = await requestJson(`/models/${encodeURIComponent(version)}`);
  } catch (error) {
    current.evaluated = null; // try again with the next snapshot
    showError($('train-error'), error);
    return;
  }
  if (job !== current) return;
  for (const e of info?.metrics?.history ?? []) addEpoch(e);
  current.running = null;
  drawEpochCurves(current);
  renderEvaluation($('job-evaluation'), version, info?.metrics);
  $('job-evaluation-section').hidden = false;
}

function headline(epoch) {
  if (!epoch) return null;
  return { valMacroF1: epoch.validationMacroF1, valAccuracy: epoch.validationAccuracy, valLoss: epoch.validationLoss };
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
  if (snapshot.latest) parts.push(`validation accuracy ${percent(snapshot.latest.validationAccuracy)}`);
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

/** Phase, epoch, throughput, time so far and an estimate of the time left (elapsed time scaled by the progress). Once the
 * run is past its epochs (evaluating, exporting, done), phase, epoch and throughput keep their last values. */
function renderStats(snapshot, fraction) {
  const o = snapshot.options ?? {};
  const phases = (o.epochs1 > 0 ? 1 : 0) + (o.epochs2 > 0 ? 1 : 0);
  const elapsed = snapshot.timings?.runningSeconds;
  const last = job.lastStats ?? (job.lastStats = {});
  if (snapshot.phase > 0) last.phase = `${snapshot.phase} of ${phases || '?'}`;
  if (snapshot.epoch > 0) last.epoch = `${snapshot.epoch} of ${snapshot.epochs || '?'}`;
  const latest = snapshot.latest; // a run shown after it ended has only its last finished epoch
  if (!last.phase && latest) last.phase = `${latest.phase} of ${phases || '?'}`;
  if (!last.epoch && latest) last.epoch = `${latest.epoch} of ${(latest.phase === 1 ? o.epochs1 : o.epochs2) ?? '?'}`;
  const speed = snapshot.imagesPerSecond > 0 ? snapshot.imagesPerSecond : snapshot.latest?.imagesPerSecond;
  if (speed > 0) last.speed = speed.toFixed(0);
  let left = '–';
  if (snapshot.state === 'succeeded') left = 'done';
  else if (snapshot.state === 'running' && fraction >= 0.02 && Number.isFinite(elapsed)) left = `≈ ${duration((elapsed * (1 - fraction)) / fraction)}`;
  const stats = [
    ['stage', 'Stage', snapshot.state === 'running' ? (snapshot.stage ?? 'starting') : snapshot.state],
    ['phase', 'Phase', last.phase ?? '–'],
    ['epoch', 'Epoch', last.epoch ?? '–'],
    ['speed', 'Images/s', last.speed ?? '–'],
    ['elapsed', 'Elapsed', duration(elapsed)],
    ['eta', 'Time left', left],
  ];
  $('job-stats').replaceChildren(...stats.map(([name, label, value]) => el('div', { 'data-stat': name }, el('dt', {}, label), el('dd', {}, value))));
  $('job-options').textContent = `${o.recipe} recipe · ${o.imageSize} px · ${o.epochs1} + ${o.epochs2} epochs · batch ${o.batchSize} · promote ${o.promote}`;
}

function finish(current) {
  if (current.finished) return;
  current.finished = true;
  current.source?.close();
  setLive('');
  $('train-cancel').hidden = true;
  loadModels();
  loadRuns();
}

function setState(state) {
  if (!job || !state) return;
  job.state = state;
  const badge = $('job-state');
  badge.textContent = state;
  badge.className = `state ${state}`;
  $('train-cancel').hidden = TERMINAL.includes(state);
}

function setLive(text) {
  $('job-live').textContent = text;
  $('job-live').className = `live ${text === 'live' ? 'on' : ''}`;
}

function renderMetrics(metrics) {
  if (!metrics || typeof metrics !== 'object') return;
  const items = METRICS.filter(([name]) => typeof metrics[name] === 'number' && Number.isFinite(metrics[name]));
  $('job-metrics').replaceChildren(...items.map(([name, label, format]) =>
    el('div', { 'data-metric': name }, el('dt', {}, label), el('dd', {}, format(metrics[name])))));
}

/** The recent runs (GET /train), newest first; a click follows that run (or shows how it ended). */
async function loadRuns() {
  let jobs = [];
  try {
    jobs = (await requestJson('/train?count=10'))?.jobs ?? [];
  } catch (error) {
    $('runs-body').replaceChildren(runsRow(`Could not load the runs: ${error.message}`));
    return jobs;
  }
  $('runs-body').replaceChildren(...(jobs.length ? jobs.map(runRow) : [runsRow('No runs yet.')]));
  markSelectedRun();
  return jobs;
}

function runRow(j) {
  const o = j.options ?? {};
  const created = new Date(j.timings?.createdAt);
  const outcome = j.result ? `${j.result.version}${j.result.promoted ? ' · promoted' : ''}` : (j.error ?? '');
  return el('tr', { 'data-job': j.id, class: 'clickable', tabindex: 0, onclick: () => watch(String(j.id)), onkeydown: (e) => { if (e.key === 'Enter') watch(String(j.id)); } },
    el('td', {}, el('code', {}, j.id)),
    el('td', {}, el('span', { class: `state ${j.state}` }, j.state)),
    el('td', { class: 'col-created' }, Number.isNaN(created.getTime()) ? '' : created.toLocaleTimeString()),
    el('td', { class: 'col-optional' }, `${o.imageSize} px · ${o.epochs1}+${o.epochs2} ep.`),
    el('td', { class: 'outcome', title: j.result?.promotionReason ?? j.error ?? '' }, outcome));
}

function markSelectedRun() {
  for (const tr of $('runs-body').rows) tr.classList.toggle('selected', tr.dataset.job === job?.id);
}

function runsRow(text) {
  return el('tr', {}, el('td', { colspan: 5, class: 'muted' }, text));
}
