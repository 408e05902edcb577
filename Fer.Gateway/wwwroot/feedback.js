// Feedback on the face shown: one click confirms the emotion the model gave or corrects it to another. The label goes to
// POST /feedback with the face's id from /predict; only then does Fer keep the face (see docs/feedback.md).
import { EMOTIONS, requestJson, showError } from './api.js';
import { $, el } from './dom.js';

let shown = null; // the face whose buttons are shown

/** Shows the confirm and correct buttons for `face` (hidden when the answer carries no id). */
export function showFeedback(face) {
  const box = $('feedback');
  shown = face;
  $('feedback-status').textContent = '';
  showError($('feedback-error'), null);
  if (!face?.id) {
    box.hidden = true;
    return;
  }
  const confirm = el('button', { type: 'button', class: 'small primary-outline', 'data-emotion': face.emotion,
    onclick: () => send(face, face.emotion) }, `Yes, ${face.emotion}`);
  const others = EMOTIONS.filter((emotion) => emotion !== face.emotion).map((emotion) =>
    el('button', { type: 'button', class: 'small', 'data-emotion': emotion, onclick: () => send(face, emotion) }, emotion));
  $('feedback-buttons').replaceChildren(confirm, el('span', { class: 'muted small' }, 'or it is:'), ...others);
  box.hidden = false;
}

async function send(face, emotion) {
  const buttons = [...$('feedback-buttons').querySelectorAll('button')];
  for (const button of buttons) button.disabled = true;
  showError($('feedback-error'), null);
  try {
    const receipt = await requestJson('/feedback', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: face.id, emotion }),
    });
    if (shown !== face) return;
    for (const button of buttons) button.setAttribute('aria-pressed', String(button.dataset.emotion === emotion));
    $('feedback-status').textContent = `Thank you: kept as ${receipt.emotion} (${receipt.count} ${receipt.count === 1 ? 'label' : 'labels'} so far).`;
  } catch (error) {
    if (shown === face) showError($('feedback-error'), error);
  } finally {
    for (const button of buttons) button.disabled = false;
  }
}
