// Models page: every registry version with its headline metrics and which is production; promote and roll back with
// the admin key (sent as X-Api-Key; the gateway answers 401 without one and 403 for a wrong one). A change answers
// { production, previous, changed, kind } (Fer.Trainer/Apis/ProductionChangeResponse.cs).
"use strict";

const ADMIN_KEY_STORAGE = "fer.dashboard.adminKey";
const models = { listed: "", refreshFailed: false };

async function refreshModels() {
  let list;
  try {
    list = await gateway("/models");
  } catch (error) {
    models.refreshFailed = true;
    showMessage($("models-message"), error);
    return;
  }
  if (models.refreshFailed) showMessage($("models-message"), null);
  models.refreshFailed = false;
  const listed = JSON.stringify([list.production, list.versions.map((v) => v.version)]);
  if (listed === models.listed) return;
  models.listed = listed;
  const body = $("model-table").tBodies[0];
  if (list.versions.length === 0) {
    body.replaceChildren(el("tr", {}, el("td", { colspan: 10, class: "hint" }, "No model versions yet: a training job publishes one.")));
    return;
  }
  body.replaceChildren(...list.versions.map((v) => {
    const m = v.metrics ?? {};
    const production = v.version === list.production;
    return el("tr", { "data-version": v.version, class: production ? "production" : "" },
      el("td", {}, el("code", {}, v.version), production ? el("span", { class: "badge" }, "production") : ""),
      el("td", {}, new Date(v.createdAt).toLocaleString([], { hour12: false })),
      el("td", {}, fixed(m.valMacroF1)),
      el("td", {}, percent(m.valAccuracy)),
      el("td", { title: m.evaluationSplit ? `${m.evaluationSplit}: ${m.evaluationCount} images` : "" }, percent(m.accuracy)),
      el("td", {}, fixed(m.macroF1)),
      el("td", {}, `${v.imageSize}px`),
      el("td", {}, m.epochs ?? ""),
      el("td", {}, bytes(v.sizeBytes)),
      el("td", {}, production ? "" : el("button", { onclick: () => promote(v.version) }, "promote")));
  }));
}

function adminHeaders() {
  return { "X-Api-Key": $("admin-key").value.trim() };
}

async function promote(version) {
  await change(`/models/${encodeURIComponent(version)}/promote`,
    (r) => r.changed ? `promoted ${r.production} to production (was ${r.previous ?? "none"})` : `${r.production} already is production`);
}

async function rollBack() {
  await change("/models/rollback", (r) => `rolled production back to ${r.production} (from ${r.previous})`);
}

async function change(path, describe) {
  try {
    const result = await gateway(path, { method: "POST", headers: adminHeaders() });
    showMessage($("models-message"), describe(result), "ok");
  } catch (error) {
    showMessage($("models-message"), error);
  }
  models.listed = "";
  await refreshModels();
}

// After app.js (loaded last, it defines $ and el) has run.
document.addEventListener("DOMContentLoaded", () => {
  $("admin-key").value = sessionStorage.getItem(ADMIN_KEY_STORAGE) ?? "";
  $("admin-key").oninput = () => sessionStorage.setItem(ADMIN_KEY_STORAGE, $("admin-key").value.trim());
  $("rollback").onclick = rollBack;
});
