// A version's evaluation (the trainer's metrics.json: labels, confusionMatrix, evaluationSplit, evaluationCount,
// accuracy, macroF1): the confusion matrix (rows: true class, columns: predicted; a cell's shade is its share of the
// true class, so the diagonal reads as each class's recall) and a per-class precision/recall/F1 table.
import { el, fixed, percent } from './dom.js';
import { EMOTIONS } from './api.js';

/** Fills `container` with the evaluation of `version`; says so when the version has none. Returns whether it had one. */
export function renderEvaluation(container, version, metrics) {
  const matrix = metrics?.confusionMatrix;
  if (!Array.isArray(matrix) || matrix.length === 0) {
    container.replaceChildren(el('p', { class: 'muted' }, `${version} has no evaluation (no test split was found when it was trained).`));
    return false;
  }
  const labels = Array.isArray(metrics.labels) && metrics.labels.length === matrix.length ? metrics.labels : EMOTIONS.slice(0, matrix.length);
  const split = metrics.evaluationSplit ?? 'the evaluation split';
  const count = metrics.evaluationCount ?? matrix.flat().reduce((a, b) => a + b, 0);
  container.replaceChildren(
    el('p', { class: 'evaluation-summary' },
      el('strong', {}, el('code', { class: 'evaluation-version' }, version)),
      ` on ${split} (${count} images): accuracy `, el('strong', {}, percent(metrics.accuracy)),
      ', macro-F1 ', el('strong', {}, fixed(metrics.macroF1))),
    el('div', { class: 'evaluation' },
      el('figure', { class: 'confusion-figure' },
        el('div', { class: 'table-wrap' }, confusionTable(labels, matrix)),
        el('figcaption', { class: 'hint' }, 'Rows: the true emotion; columns: what the model said. Shade: share of the row.')),
      el('div', { class: 'table-wrap' }, classTable(labels, matrix))));
  return true;
}

function confusionTable(labels, matrix) {
  const head = el('tr', {},
    el('th', { scope: 'col', class: 'corner' }, 'true \\ predicted'),
    ...labels.map((label) => el('th', { scope: 'col', title: label }, short(label))),
    el('th', { scope: 'col', class: 'total' }, 'n'));
  const rows = matrix.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    const cells = row.map((count, j) => {
      const share = total ? count / total : 0;
      const cell = el('td', {
        class: `cell${i === j ? ' diagonal' : ''}${share > 0.55 ? ' strong' : ''}`,
        title: `${labels[i]} predicted as ${labels[j]}: ${count} of ${total} (${percent(share)})`,
      }, String(count));
      cell.style.setProperty('--share', share.toFixed(3)); // CSSOM, which the page's Content-Security-Policy allows
      return cell;
    });
    return el('tr', {}, el('th', { scope: 'row' }, labels[i]), ...cells, el('td', { class: 'total' }, String(total)));
  });
  return el('table', { class: 'confusion', 'aria-label': 'Confusion matrix' }, el('thead', {}, head), el('tbody', {}, ...rows));
}

function classTable(labels, matrix) {
  const columnTotals = labels.map((_, j) => matrix.reduce((sum, row) => sum + row[j], 0));
  const rows = labels.map((label, i) => {
    const support = matrix[i].reduce((a, b) => a + b, 0);
    const hit = matrix[i][i];
    const precision = columnTotals[i] ? hit / columnTotals[i] : 0;
    const recall = support ? hit / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return el('tr', { 'data-class': label },
      el('th', { scope: 'row' }, label), el('td', {}, fixed(precision)), el('td', {}, fixed(recall)), el('td', {}, fixed(f1)),
      el('td', {}, String(support)));
  });
  return el('table', { class: 'classes', 'aria-label': 'Per-class precision, recall and F1' },
    el('thead', {}, el('tr', {}, ...['class', 'precision', 'recall', 'F1', 'support'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows));
}

/** Column heads stay narrow enough for a phone: "surprise" -> "sur" (the full name is the head's title, and each row's). */
function short(label) {
  return label.slice(0, 3);
}
