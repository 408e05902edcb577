// The retraining policy: GET /feedback/policy (Fer.Trainer/Retraining/RetrainingView.cs: the policy, the last run it
// started, the labels since, its decisions newest first) fills the form once and the status and decisions every 5 s
// while the tab is visible; PUT /feedback/policy (admin key) saves the whole policy, and its ProblemDetails name each
// bad field. Durations are .NET TimeSpans as the API writes them ("06:00:00", "1.00:00:00").
import { request, requestJson, showError } from './api.js';
import { adminHeaders } from './admin.js';
import { $, el } from './dom.js';

const POLL_MS = 5000;
const KIND_NAMES = {
  fired: 'fired', 'too-few-labels': 'too few labels', 'not-due': 'not due', 'cooling-down': 'cooling down',
  'job-running': 'job running', refused: 'refused',
};

let timer = 0;

export function initRetraining() {
  $('retraining-form').addEventListener('submit', (event) => {
    event.preventDefault();
    save();
  });
  $('policy-reload').addEventListener('click', () => refreshRetraining({ fillForm: true }));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') refreshRetraining();
    else clearTimeout(timer);
  });
  refreshRetraining({ fillForm: true });
}

/** Reads the policy; the form only with `fillForm` (the first time, after a save, on Reload), so that polling never
 * overwrites what the operator is typing. */
export async function refreshRetraining({ fillForm = false } = {}) {
  clearTimeout(timer);
  try {
    const view = await requestJson('/feedback/policy');
    if (fillForm) fill(view.policy);
    renderStatus(view);
    if (fillForm) showError($('retraining-error'), null);
  } catch (error) {
    showError($('retraining-error'), error);
  }
  if (document.visibilityState === 'visible') timer = setTimeout(() => refreshRetraining(), POLL_MS);
}

function fill(policy) {
  $('policy-enabled').checked = Boolean(policy.enabled);
  $('policy-new-labels').value = policy.newLabels ?? '';
  $('policy-interval').value = policy.interval ?? '';
  $('policy-drift-hold').value = policy.driftHold ?? '';
  $('policy-cool-down').value = policy.coolDown ?? '';
  $('policy-training').value = policy.training ? JSON.stringify(policy.training) : '';
}

function renderStatus({ policy, last, newLabels, decisions }) {
  $('retraining-state').textContent = policy.enabled ? 'on' : 'off';
  $('retraining-state').className = `state ${policy.enabled ? 'running' : 'idle'}`;
  const lastRun = last?.lastJobId ? `The last run it started: ${last.lastJobId} at ${time(last.lastTriggerAt)}.` : 'It has started no run yet.';
  $('retraining-summary').textContent = `${lastRun} ${newLabels} new label${newLabels === 1 ? '' : 's'} since.`;
  $('retraining-decisions').replaceChildren(...(decisions?.length
    ? decisions.map((d) => el('li', { 'data-kind': d.kind },
      el('span', { class: `state ${d.kind}` }, KIND_NAMES[d.kind] ?? d.kind),
      ' ', el('span', { class: 'muted small' }, el('time', { datetime: d.at }, time(d.at)), d.jobId ? ' · run ' : null, d.jobId ? el('code', {}, d.jobId) : null),
      el('p', { class: 'reason' }, d.reason)))
    : [el('li', { class: 'muted' }, policy.enabled ? 'No decision yet.' : 'The policy is off: it decides nothing.')]));
}

/** The policy as the form says; an empty trigger is null (off), an empty cool-down takes the default. */
function readForm() {
  const body = {
    enabled: $('policy-enabled').checked,
    newLabels: $('policy-new-labels').value.trim() === '' ? null : Number($('policy-new-labels').value),
    interval: $('policy-interval').value.trim() || null,
    driftHold: $('policy-drift-hold').value.trim() || null,
  };
  const coolDown = $('policy-cool-down').value.trim();
  if (coolDown) body.coolDown = coolDown;
  const training = $('policy-training').value.trim();
  if (training) {
    try {
      body.training = JSON.parse(training);
    } catch (error) {
      throw Object.assign(new Error(error.message), { title: 'Invalid training settings', detail: `Not JSON: ${error.message}` });
    }
  }
  return body;
}

async function save() {
  const message = $('retraining-message');
  const problem = $('retraining-error');
  message.hidden = true;
  showError(problem, null);
  const button = $('policy-save');
  button.disabled = true;
  try {
    const body = readForm();
    const response = await request('/feedback/policy', {
      method: 'PUT',
      headers: { ...adminHeaders(), 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const policy = await response.json();
    message.textContent = `Saved: the policy is ${policy.enabled ? 'on' : 'off'}.`;
    message.hidden = false;
    await refreshRetraining({ fillForm: true });
  } catch (error) {
    showError(problem, error);
  } finally {
    button.disabled = false;
  }
}

function time(at) {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? String(at ?? '') : date.toLocaleString();
}
