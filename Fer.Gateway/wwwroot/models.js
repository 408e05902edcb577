// The model registry: every version (GET /models, newest first) with its metrics and which one is production; promote
// one, roll back to the previous production, and look at a version's evaluation (GET /models/{version}). A change
// answers { production, previous, changed, kind } (Fer.Trainer/Apis/ProductionChangeResponse.cs). A published version
// that is not production can be put in safe rollout (rollout.js shows it live); the table marks the candidate.
import { request, requestJson, showError, setModelVersion } from './api.js';
import { adminHeaders } from './admin.js';
import { $, el, fixed, percent, bytes } from './dom.js';
import { renderEvaluation } from './evaluation.js';
import { initRollout, refreshRollout, rolloutCandidate, startRollout } from './rollout.js';
import { showVersions } from './monitoring.js';

const COLUMNS = 10;
let knownProduction = null;
let detailVersion = null;

export function initModels() {
  // A rollout that starts, moves a step or ends may change production and the candidate: draw the table again.
  initRollout(() => loadModels({ withRollout: false }));
  $('models-refresh').addEventListener('click', () => loadModels());
  $('models-rollback').addEventListener('click', rollBack);
  $('version-close').addEventListener('click', () => { detailVersion = null; $('version-detail').hidden = true; });
  loadModels();
}

/** Draws the versions; with `withRollout` (the default) also asks for the rollout, which draws the table again when
 * the candidate changed. */
export async function loadModels({ withRollout = true } = {}) {
  const body = $('models-body');
  let list;
  try {
    list = await requestJson('/models');
  } catch (error) {
    body.replaceChildren(row(`Could not load the versions: ${error.message}`));
    if (withRollout) await refreshRollout();
    return;
  }
  const versions = list?.versions ?? [];
  const production = list?.production ?? null;
  // The header names the version that answered the last prediction, else production; a new production (promoted or
  // rolled back) replaces the old one there, since the replicas switch to it.
  const shown = $('model-version').textContent;
  if (production && (shown === 'unknown' || shown === knownProduction)) setModelVersion(production);
  knownProduction = production;
  showVersions(production, versions);
  $('models-production').textContent = production
    ? `Production: ${production}${summaryOf(versions.find((v) => v.version === production))}`
    : 'No version is in production yet.';
  $('models-rollback').disabled = !production;
  const candidate = rolloutCandidate();
  body.replaceChildren(...(versions.length ? versions.map((v) => versionRow(v, production, candidate)) : [row('No model versions yet: train one above.')]));
  if (withRollout) await refreshRollout();
}

function summaryOf(version) {
  const f1 = version?.metrics?.valMacroF1;
  return typeof f1 === 'number' ? ` · validation macro-F1 ${f1.toFixed(3)}` : '';
}

function versionRow(v, production, candidate) {
  const m = v.metrics ?? {};
  const isProduction = v.version === production;
  const inRollout = v.version === candidate;
  const created = new Date(v.createdAt);
  const evaluated = m.evaluationSplit ? `${m.evaluationSplit}: ${m.evaluationCount} images` : 'no test split';
  return el('tr', { 'data-version': v.version, class: isProduction ? 'production' : inRollout ? 'candidate' : null },
    el('td', {}, el('code', {}, v.version), isProduction ? el('span', { class: 'badge' }, 'production') : null,
      inRollout ? el('span', { class: 'badge candidate', 'data-rollout-badge': '' }, 'in rollout') : null),
    el('td', { class: 'col-created' }, Number.isNaN(created.getTime()) ? '' : created.toLocaleString()),
    el('td', { class: 'num', 'data-metric': 'valMacroF1' }, fixed(m.valMacroF1)),
    el('td', { class: 'num col-optional', 'data-metric': 'valAccuracy' }, percent(m.valAccuracy)),
    el('td', { class: 'num', 'data-metric': 'accuracy', title: evaluated }, percent(m.accuracy)),
    el('td', { class: 'num col-optional', 'data-metric': 'macroF1', title: evaluated }, fixed(m.macroF1)),
    el('td', { class: 'num col-optional' }, v.imageSize ? `${v.imageSize} px` : ''),
    el('td', { class: 'num col-optional' }, m.epochs ?? ''),
    el('td', { class: 'num col-optional' }, bytes(v.sizeBytes)),
    el('td', { class: 'actions' },
      el('button', { type: 'button', class: 'small', 'data-details': v.version, 'aria-label': `Evaluation of ${v.version}`, onclick: () => showVersion(v.version) }, 'Details'),
      el('button', {
        type: 'button', class: 'small primary-outline', 'data-promote': v.version, disabled: isProduction,
        'aria-label': `Promote ${v.version} to production`, onclick: (event) => promote(v.version, event.currentTarget),
      }, 'Promote'),
      el('button', {
        type: 'button', class: 'small', 'data-rollout': v.version, disabled: isProduction || inRollout,
        'aria-label': `Roll out ${v.version}: shadow, then canary, promoted or rolled back by the gates`,
        title: inRollout ? `${v.version} is in rollout` : isProduction ? `${v.version} is production` : null,
        onclick: (event) => rollOut(v.version, event.currentTarget),
      }, 'Roll out')));
}

async function promote(version, button) {
  button.disabled = true;
  await change(`/models/${encodeURIComponent(version)}/promote`,
    (r) => (r.changed ? `Promoted ${r.production} to production (was ${r.previous ?? 'none'}).` : `${r.production} already is production.`));
}

async function rollOut(version, button) {
  button.disabled = true;
  await startRollout(version);
  button.disabled = false; // a refusal leaves the row as it was; a start draws the table again
}

async function rollBack() {
  await change('/models/rollback', (r) => `Rolled production back to ${r.production} (from ${r.previous}).`);
}

async function change(path, describe) {
  const message = $('models-message');
  const problem = $('models-error');
  message.hidden = true;
  showError(problem, null);
  try {
    const response = await request(path, { method: 'POST', headers: adminHeaders() });
    message.textContent = describe(await response.json());
    message.hidden = false;
  } catch (error) {
    showError(problem, error);
  }
  await loadModels();
}

async function showVersion(version) {
  detailVersion = version;
  const detail = $('version-detail');
  $('version-title').textContent = `Evaluation of ${version}`;
  $('version-body').replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
  detail.hidden = false;
  try {
    const info = await requestJson(`/models/${encodeURIComponent(version)}`);
    if (detailVersion === version) renderEvaluation($('version-body'), version, info?.metrics);
  } catch (error) {
    if (detailVersion !== version) return;
    const box = el('div', { class: 'error', role: 'alert' });
    $('version-body').replaceChildren(box);
    showError(box, error);
  }
  detail.scrollIntoView({ block: 'nearest' });
}

function row(text) {
  return el('tr', {}, el('td', { colspan: COLUMNS, class: 'muted' }, text));
}
