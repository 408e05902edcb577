// A confusion matrix as a table: rows are the true classes, columns the predicted ones; a cell's shade is its share of
// the true class (so the diagonal is each class's recall), its text the count.
"use strict";

function renderConfusion(table, labels, matrix) {
  const head = el("tr", {}, el("th", { class: "corner" }, "true \\ predicted"), ...labels.map((label) => el("th", {}, label)), el("th", {}, "n"), el("th", {}, "recall"));
  const rows = matrix.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    const cells = row.map((count, j) => {
      const share = total ? count / total : 0;
      return el("td", {
        class: `cell${i === j ? " diagonal" : ""}`,
        style: `background: rgba(9, 105, 218, ${share.toFixed(3)}); color: ${share > 0.5 ? "#fff" : "#1d1d1f"}`,
        title: `${labels[i]} predicted as ${labels[j]}: ${count} of ${total}`,
      }, String(count));
    });
    return el("tr", {}, el("th", {}, labels[i]), ...cells, el("td", { class: "total" }, String(total)), el("td", { class: "total" }, total ? percent(row[i] / total) : ""));
  });
  table.replaceChildren(el("thead", {}, head), el("tbody", {}, ...rows));
}
