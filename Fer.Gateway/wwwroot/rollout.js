// The safe rollout, live: GET /models/rollout (Fer.Trainer/Apis/RolloutResponse.cs) answers { rollout (null when none
// runs), evidence (one summary per version for the current step), gates (what they say now), decisions (newest first) }.
// While a rollout runs and the tab is visible the page asks every 2 s (the trainer decides every 2 s); it stops when
// none runs or the tab is hidden, and looks again when the tab comes back or the registry view is refreshed.
import { request, requestJson, showError, EMOTIONS } from './api.js';
import { adminHeaders } from './admin.js';
import { $, el, fixed, percent, duration } from './dom.js';

const POLL_MS = 2000;
const KIND_NAMES = { started: 'started', advanced: 'advanced', promoted: 'promoted', rolledBack: 'rolled back', aborted: 'aborted' };

let timer = 0;
let asked = 0; // the number of the latest question asked, so that an older answer arriving late is ignored
let shownKey = null; // which rollout and step the registry's table was last drawn for
let onChange = () => {};
let rolloutNow = null;

/** `changed` is called when a rollout starts, moves a step or ends (production or the candidate may have changed). */
export function initRollout(changed) {
  onChange = changed;
  $('rollout-abort').addEventListener('click', abortRollout);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') refreshRollout();
    else clearTimeout(timer);
  });
}

/** The version in rollout, or null. */
export function rolloutCandidate() {
  return rolloutNow?.candidate ?? null;
}

/** Asks for the rollout once, draws it, and keeps asking every 2 s while one runs and the tab is visible. */
export async function refreshRollout() {
  clearTimeout(timer);
  const question = ++asked;
  let answer;
  try {
    answer = await requestJson('/models/rollout');
  } catch (error) {
    if (question !== asked) return;
    $('rollout-live').textContent = `not updated: ${error.message}`;
    $('rollout-live').classList.remove('on');
    schedule();
    return;
  }
  if (question !== asked) return;
  rolloutNow = answer?.rollout ?? null;
  render(answer ?? {});
  const key = rolloutNow ? `${rolloutNow.id}#${rolloutNow.step}` : 'none';
  // The table was drawn before this answer: draw it again when the rollout changed (at the first answer, only if one runs).
  if (key !== shownKey) {
    const unchanged = shownKey === null && key === 'none';
    shownKey = key;
    if (!unchanged) onChange();
  }
  schedule();
}

/** Puts `version` in rollout (shadow first); the trainer's ProblemDetails explain a refusal. */
export async function startRollout(version) {
  const message = $('models-message');
  const problem = $('models-error');
  message.hidden = true;
  showError(problem, null);
  try {
    const response = await request(`/models/${encodeURIComponent(version)}/rollout`, { method: 'POST', headers: adminHeaders() });
    const rollout = await response.json();
    message.textContent = `Started the rollout of ${rollout.candidate} beside ${rollout.baseline}: ${modeText(rollout)} first.`;
    message.hidden = false;
  } catch (error) {
    showError(problem, error);
  }
  await refreshRollout();
}

async function abortRollout() {
  const message = $('models-message');
  const problem = $('models-error');
  message.hidden = true;
  showError(problem, null);
  const button = $('rollout-abort');
  button.disabled = true;
  try {
    const response = await request('/models/rollout/abort', { method: 'POST', headers: adminHeaders() });
    const decision = await response.json();
    message.textContent = `Aborted the rollout of ${decision.candidate}; production is unchanged.`;
    message.hidden = false;
  } catch (error) {
    showError(problem, error);
  } finally {
    button.disabled = false;
  }
  await refreshRollout();
}

function schedule() {
  clearTimeout(timer);
  if (rolloutNow && document.visibilityState === 'visible') timer = setTimeout(() => refreshRollout(), POLL_MS);
}

function render({ rollout, evidence, gates, decisions }) {
  const latest = Array.isArray(decisions) && decisions.length ? decisions.filter((d) => d.rolloutId === decisions[0].rolloutId) : [];
  const panel = $('rollout');
  panel.hidden = !rollout && latest.length === 0;
  if (panel.hidden) return;
  const running = Boolean(rollout);
  panel.classList.toggle('running', running);
  $('rollout-abort').hidden = !running;
  $('rollout-live').textContent = running ? 'live' : '';
  $('rollout-live').classList.toggle('on', running);
  $('rollout-running').hidden = !running;
  $('rollout-title-text').textContent = running ? 'Rollout' : 'Latest rollout';
  if (running) {
    $('rollout-title-version').textContent = rollout.candidate;
    $('rollout-mode').textContent = modeText(rollout);
    $('rollout-mode').className = `state ${rollout.mode}`;
    renderSummary(rollout);
    renderPlan(rollout);
    $('rollout-gates').textContent = gates || '–';
    renderEvidence(rollout, Array.isArray(evidence) ? evidence : []);
  } else {
    const ended = latest[0];
    $('rollout-title-version').textContent = ended.candidate;
    $('rollout-mode').textContent = KIND_NAMES[ended.kind] ?? ended.kind;
    $('rollout-mode').className = `state ${ended.kind}`;
  }
  renderDecisions(latest);
}

function renderSummary(rollout) {
  const step = rollout.steps?.[rollout.step] ?? {};
  const inStep = (Date.now() - Date.parse(rollout.stepStartedAt)) / 1000;
  const limit = seconds(step.maxDuration);
  $('rollout-summary').replaceChildren(
    'Candidate ', el('code', {}, rollout.candidate), ' against production ', el('code', {}, rollout.baseline),
    ` · step ${rollout.step + 1} of ${rollout.steps?.length ?? '?'} · `,
    el('span', { 'data-rollout': 'time-in-step' }, `${duration(Math.max(0, inStep))} in this step`),
    limit !== null ? ` (at most ${duration(limit)}, needs ${step.minRequests} candidate requests)` : '');
}

function renderPlan(rollout) {
  const steps = (rollout.steps ?? []).map((step, i) => el('li', {
    class: i < rollout.step ? 'done' : i === rollout.step ? 'current' : null,
    'aria-current': i === rollout.step ? 'step' : null,
  }, modeText(step)));
  $('rollout-plan').replaceChildren(...steps, el('li', {}, 'production'));
}

/** Production and the candidate side by side, one row a measure. */
function renderEvidence(rollout, evidence) {
  const production = evidence.find((e) => e.version === rollout.baseline);
  const candidate = evidence.find((e) => e.version === rollout.candidate);
  const shadow = rollout.mode === 'shadow';
  const rows = [
    ['requests', 'Requests', (e) => count(e?.requests)],
    ['errorRate', 'Error rate', (e) => (e ? `${percent(e.errorRate)} (${count(e.errors)})` : '–')],
    ['latencyP95Ms', 'p95 latency', (e) => milliseconds(e?.latencyP95Ms), (e) => e && `p50 ${milliseconds(e.latencyP50Ms)}, p99 ${milliseconds(e.latencyP99Ms)}`],
    ['meanConfidence', 'Mean confidence', (e) => (e?.requests ? fixed(e.meanConfidence) : '–')],
    ['agreement', 'Agreement with production', (e, isCandidate) => (isCandidate && e?.comparedFaces ? `${fixed(e.agreement)} (${count(e.comparedFaces)} faces)` : '–')],
  ];
  if (shadow) {
    // What the latency gate compares in shadow: the candidate's runs against production's on the same faces, run alike.
    rows.push(['baselineLatencyP95Ms', 'p95 on the shadowed faces (latency gate)',
      (e, isCandidate) => milliseconds(isCandidate ? candidate?.latencyP95Ms : candidate?.baselineLatencyP95Ms),
      () => 'production run alone on the faces the candidate shadowed, right after it: what the latency gate compares in shadow']);
    rows.push(['shadowDropped', 'Shadow runs dropped (replica busy)', (e, isCandidate) => (isCandidate ? count(e?.shadowDropped ?? 0) : '–')]);
  }
  $('rollout-evidence-body').replaceChildren(...rows.map(([key, name, format, title]) => el('tr', { 'data-measure': key },
    el('th', { scope: 'row' }, name),
    el('td', { class: 'num', 'data-version': 'production', title: title?.(production) || null }, format(production, false)),
    el('td', { class: 'num', 'data-version': 'candidate', title: title?.(candidate) || null }, format(candidate, true)))));
  $('rollout-evidence-production').textContent = rollout.baseline;
  $('rollout-evidence-candidate').textContent = rollout.candidate;

  const matrix = candidate?.disagreements;
  const compared = candidate?.comparedFaces ?? 0;
  const hasMatrix = compared > 0 && Array.isArray(matrix);
  $('rollout-matrix-caption').hidden = !hasMatrix;
  $('rollout-matrix').replaceChildren(hasMatrix
    ? disagreementTable(matrix)
    : el('p', { class: 'hint' }, shadow ? 'No face compared yet in this step.' : 'In canary the candidate answers its share itself: faces are compared in shadow only.'));
}

/** Rows: production's emotion; columns: the candidate's; the diagonal is agreement. A cell's shade is its share of the row. */
function disagreementTable(matrix) {
  const labels = EMOTIONS.length === matrix.length ? EMOTIONS : matrix.map((_, i) => `class ${i}`);
  const head = el('tr', {},
    el('th', { scope: 'col', class: 'corner' }, 'production \\ candidate'),
    ...labels.map((label) => el('th', { scope: 'col', title: label }, label.slice(0, 3))));
  const rows = matrix.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return el('tr', {}, el('th', { scope: 'row' }, labels[i]), ...row.map((n, j) => {
      const share = total ? n / total : 0;
      const cell = el('td', {
        class: `cell${i === j ? ' diagonal' : ''}${share > 0.55 ? ' strong' : ''}`,
        title: `production ${labels[i]}, candidate ${labels[j]}: ${n} of ${total} faces`,
      }, String(n));
      cell.style.setProperty('--share', share.toFixed(3)); // CSSOM, which the page's Content-Security-Policy allows
      return cell;
    }));
  });
  return el('table', { class: 'confusion', 'aria-label': 'Disagreement matrix: rows production\'s emotion, columns the candidate\'s' },
    el('thead', {}, head), el('tbody', {}, ...rows));
}

function renderDecisions(decisions) {
  $('rollout-decisions').replaceChildren(...decisions.map((d) => {
    const at = new Date(d.at);
    return el('li', { 'data-kind': d.kind },
      el('span', { class: `state ${d.kind}` }, KIND_NAMES[d.kind] ?? d.kind),
      ' ', el('span', { class: 'muted small' }, `${modeText(d)} · `, el('time', { datetime: d.at }, Number.isNaN(at.getTime()) ? d.at : at.toLocaleTimeString())),
      el('p', { class: 'reason' }, d.reason),
      d.evidence || d.traceId ? el('details', {},
        el('summary', {}, d.evidence ? 'Evidence read' : 'Trace'),
        d.traceId ? el('p', { class: 'small muted' }, 'Trace ', el('code', {}, d.traceId)) : null,
        d.evidence ? el('pre', {}, pretty(d.evidence)) : null) : null);
  }));
}

function modeText({ mode, share }) {
  return `${mode} ${Math.round((share ?? 0) * 100)} %`;
}

function count(value) {
  return typeof value === 'number' ? value.toLocaleString('en') : '–';
}

function milliseconds(value) {
  return typeof value === 'number' ? `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms` : '–';
}

function pretty(json) {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

/** .NET's TimeSpan as System.Text.Json writes it ("00:10:00", "1.02:00:00.5") in seconds, or null. */
function seconds(span) {
  const match = /^(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(span ?? '');
  if (!match) return null;
  const [, days, hours, minutes, secs] = match;
  return Number(days ?? 0) * 86400 + Number(hours) * 3600 + Number(minutes) * 60 + Number(secs);
}
