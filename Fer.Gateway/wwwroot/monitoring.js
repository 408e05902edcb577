// Monitoring, live: GET /models/drift (Fer.Registry/Monitoring/DriftOverview.cs: per version over every replica, the
// drift alarm and its statistics, the score of each statistic, the faces in the windows, the label-free estimates and
// the offline accuracy) and GET /feedback/accuracy (per version, the share of users' labels equal to its answer). One
// panel per version, production first; asked every 5 s while the tab is visible (replicas report every 2 s). A
// production that nothing watches because it has no monitoring reference (published before Fer kept them) gets a panel
// that says so and attaches one in a click (POST /models/{version}/monitoring-reference, admin key).
import { adminHeaders } from './admin.js';
import { requestJson, showError } from './api.js';
import { $, el, fixed, percent } from './dom.js';

const POLL_MS = 5000;
const STATISTICS = {
  class: 'Predicted class', confidence: 'Confidence', brightness: 'Brightness', contrast: 'Contrast',
  sharpness: 'Sharpness', face_size: 'Face size', detector_score: 'Detector score',
};

let timer = 0;
let asked = 0;
let production = null;
let offline = new Map();
let ownReference = new Set();
// Version -> 'none' | 'attached' | 'asking', for a production without a reference of its own (GET .../monitoring-reference).
const attached = new Map();
let shown = { versions: [], labelled: [] };

export function initMonitoring() {
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') refreshMonitoring();
    else clearTimeout(timer);
  });
  refreshMonitoring();
}

/** The registry view tells which version is production (its panel comes first and says so) and every version's
 * metrics: a version no replica reports on still shows its validation accuracy. */
export function showVersions(productionVersion, versions) {
  offline = new Map(versions.map((v) => [v.version, v.metrics?.monitoring?.accuracy ?? v.metrics?.valAccuracy]));
  ownReference = new Set(versions.filter((v) => v.metrics?.monitoring).map((v) => v.version));
  if (productionVersion === production) return;
  production = productionVersion;
  refreshMonitoring();
}

export async function refreshMonitoring() {
  clearTimeout(timer);
  const question = ++asked;
  const [drift, feedback] = await Promise.allSettled([requestJson('/models/drift'), requestJson('/feedback/accuracy')]);
  if (question !== asked) return;
  const failed = [drift, feedback].find((answer) => answer.status === 'rejected');
  showError($('monitoring-error'), failed ? failed.reason : null);
  $('monitoring-live').textContent = failed ? `not updated: ${failed.reason.message}` : 'live';
  $('monitoring-live').classList.toggle('on', !failed);
  if (drift.status === 'fulfilled') render(drift.value?.versions ?? [], feedback.status === 'fulfilled' ? feedback.value?.versions ?? [] : null);
  if (document.visibilityState === 'visible') timer = setTimeout(() => refreshMonitoring(), POLL_MS);
}

/** `labelled` is null when the feedback accuracy could not be read (its cells say so rather than "no labels"). */
function render(versions, labelled) {
  shown = { versions, labelled };
  const names = new Set([...versions.map((v) => v.name), ...(labelled ?? []).map((v) => v.name)]);
  const order = [...names].sort((a, b) => (a === production ? -1 : b === production ? 1 : b.localeCompare(a)));
  const unwatched = production && !versions.some((v) => v.name === production) && !ownReference.has(production) ? production : null;
  if (unwatched) askForReference(unwatched);
  // Once the trainer has said whether it has one attached, that panel takes production's place.
  const explained = unwatched && ['none', 'attached'].includes(attached.get(unwatched)) ? unwatched : null;
  const panels = order.filter((name) => name !== explained)
    .map((name) => panel(name, versions.find((v) => v.name === name), labelled && (labelled.find((v) => v.name === name) ?? { labels: 0 })));
  if (explained) panels.unshift(unwatchedPanel(explained));
  $('monitoring-versions').replaceChildren(...(panels.length
    ? panels
    : [el('p', { class: 'muted' }, 'No version is watched yet, and no labels were given. A replica watches a version once it has answered and its monitoring reference has loaded.')]));
}

/** Whether a production without a reference of its own has one attached: asked once per version. */
async function askForReference(version) {
  if (attached.has(version)) return;
  attached.set(version, 'asking');
  try {
    const answer = await requestJson(`/models/${encodeURIComponent(version)}/monitoring-reference`);
    attached.set(version, answer?.origin === 'none' ? 'none' : 'attached');
  } catch {
    attached.delete(version); // asked again on the next poll
  }
  render(shown.versions, shown.labelled);
}

/** Production, unwatched: why, and the one click that computes and attaches its reference on the trainer's data. */
function unwatchedPanel(name) {
  const isAttached = attached.get(name) === 'attached';
  const button = isAttached ? null : el('button', { type: 'button', class: 'small', 'data-attach-reference': '' }, 'Compute and attach a reference');
  button?.addEventListener('click', () => attachReference(name, button));
  return el('article', { class: 'monitor', 'data-version': name, 'aria-label': `Monitoring of ${name}` },
    el('h3', {}, el('code', {}, name), el('span', { class: 'badge' }, 'production'),
      el('span', { class: 'state idle', 'data-drift-state': 'unwatched' }, isAttached ? 'reference attached' : 'not watched')),
    el('p', { class: 'small', 'data-reference': isAttached ? 'attached' : 'none' }, isAttached
      ? 'Its monitoring reference is attached: each replica watches this version within about a minute, from its next answers on.'
      : 'No replica watches this version: it carries no monitoring reference (it was published before Fer kept them). The trainer can compute one on its validation data and attach it (admin key; seconds for a Cnn48).'),
    button);
}

async function attachReference(name, button) {
  const box = $('monitoring-error');
  showError(box, null);
  button.disabled = true;
  try {
    await requestJson(`/models/${encodeURIComponent(name)}/monitoring-reference`, { method: 'POST', headers: adminHeaders() });
    attached.set(name, 'attached');
    render(shown.versions, shown.labelled);
  } catch (error) {
    showError(box, error);
    button.disabled = false;
  }
}

function panel(name, drift, feedback) {
  const alarm = Boolean(drift?.alarm);
  const state = !drift ? ['idle', 'no live traffic'] : alarm ? ['alarm', 'drift alarm'] : ['clear', 'no drift'];
  const since = drift?.alarmSince ? new Date(drift.alarmSince) : null;
  return el('article', { class: `monitor${alarm ? ' alarm' : ''}`, 'data-version': name, 'aria-label': `Monitoring of ${name}` },
    el('h3', {}, el('code', {}, name), name === production ? el('span', { class: 'badge' }, 'production') : null,
      el('span', { class: `state ${state[0]}`, 'data-drift-state': state[0] }, state[1])),
    alarm ? el('p', { class: 'small', 'data-alarm': '' }, `Drift alarm: ${drift.alarms.map((s) => statisticName(s).toLowerCase()).join(', ')}`,
      since && !Number.isNaN(since.getTime()) ? el('span', { class: 'muted' }, ` since ${since.toLocaleTimeString()}`) : null) : null,
    el('dl', { class: 'metrics' },
      metric('offline', 'Validation accuracy', percent(drift?.offlineAccuracy ?? offline.get(name))),
      metric('estimate', 'Label-free estimate', percent(drift?.estimatedAccuracy),
        drift?.windowFaces ? `${count(drift.windowFaces)} faces` : null),
      metric('feedback', 'Measured from feedback', feedback === null ? 'unavailable' : feedback.labels ? percent(feedback.accuracy) : 'no labels yet',
        feedback?.labels ? `${count(feedback.agreed)} of ${count(feedback.labels)} labels` : null)),
    alarm ? el('p', { class: 'warning', role: 'note', 'data-unreliable': '' },
      'The label-free estimate is unreliable while this version is in drift alarm: its calibration was fitted on faces like its validation set, and these faces are not.') : null,
    drift && Object.keys(drift.scores ?? {}).length ? scoreTable(drift) : null);
}

function metric(key, name, value, detail) {
  return el('div', { 'data-metric': key }, el('dt', {}, name), el('dd', {}, value, detail ? el('span', { class: 'small' }, ` · ${detail}`) : null));
}

function scoreTable(drift) {
  const rows = Object.keys(STATISTICS).filter((s) => s in drift.scores).concat(Object.keys(drift.scores).filter((s) => !(s in STATISTICS)));
  return el('div', { class: 'table-wrap' }, el('table', { class: 'scores', 'aria-label': 'Drift score per statistic (highest over the replicas)' },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Statistic'), el('th', { scope: 'col', class: 'num' }, 'Drift score'), el('th', { scope: 'col' }, 'State'))),
    el('tbody', {}, ...rows.map((s) => {
      const inAlarm = drift.alarms.includes(s);
      return el('tr', { 'data-statistic': s, class: inAlarm ? 'alarm' : null },
        el('th', { scope: 'row' }, statisticName(s)),
        el('td', { class: 'num' }, fixed(drift.scores[s], 1)),
        el('td', {}, inAlarm ? 'alarm' : 'ok'));
    }))));
}

function statisticName(statistic) {
  return STATISTICS[statistic] ?? statistic;
}

function count(value) {
  return typeof value === 'number' ? value.toLocaleString('en') : '–';
}
