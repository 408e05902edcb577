// Training page: the trainer's recent jobs (polled with the other pages), and the selected job followed live through its
// server-sent events ("state", "progress", "epoch": each carries the whole job, Fer.Trainer/Jobs/TrainJob.cs). Curves
// per epoch come from the events (every snapshot names the latest finished epoch) and, once the job has published a
// version, from that version's metrics (history, confusion matrix, labels), read with GET /models/{version}.
"use strict";

const FINAL_STATES = ["succeeded", "failed", "cancelled"];
const FER_CLASSES = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];
const training = { id: null, source: null, job: null, epochs: new Map(), model: null, listed: "" };

async function refreshTraining() {
  let list;
  try {
    list = await gateway("/train?count=20");
    showMessage($("training-problem"), null);
  } catch (error) {
    showMessage($("training-problem"), error);
    return;
  }
  const jobs = list.jobs ?? [];
  const listed = JSON.stringify(jobs.map((j) => [j.id, j.state, j.completedEpochs, j.result?.version]));
  if (listed !== training.listed || !$("job-table").tBodies[0].rows.length) {
    training.listed = listed;
    renderJobs(jobs);
  }
  // Follow the running job; else keep the one shown; else show the newest.
  const running = jobs.find((j) => !FINAL_STATES.includes(j.state));
  const shownIsOver = !training.job || FINAL_STATES.includes(training.job.state);
  if (running && running.id !== training.id && shownIsOver) selectJob(running.id);
  else if (!training.id && jobs.length) selectJob(jobs[0].id);
}

function renderJobs(jobs) {
  const body = $("job-table").tBodies[0];
  if (jobs.length === 0) {
    body.replaceChildren(el("tr", {}, el("td", { colspan: 7, class: "hint" }, "No training jobs yet: POST /train through the gateway (admin key) starts one.")));
    return;
  }
  body.replaceChildren(...jobs.map((job) => {
    const o = job.options ?? {};
    const result = job.result ? `${job.result.version}${job.result.promoted ? " (promoted)" : ""}` : job.error ?? "";
    return el("tr", { class: `clickable${job.id === training.id ? " selected" : ""}`, "data-job": job.id, onclick: () => selectJob(job.id) },
      el("td", {}, el("code", {}, job.id)),
      el("td", {}, el("span", { class: `state ${job.state}` }, job.state)),
      el("td", {}, time(Date.parse(job.timings.createdAt))),
      el("td", {}, `${o.recipe ?? ""} · ${o.imageSize}px · epochs ${o.epochs1}+${o.epochs2} · batch ${o.batchSize}`),
      el("td", {}, `${job.completedEpochs} / ${(o.epochs1 ?? 0) + (o.epochs2 ?? 0)}`),
      el("td", {}, job.timings.runningSeconds != null ? duration(job.timings.runningSeconds * 1000) : ""),
      el("td", { title: job.result?.promotionReason ?? job.error ?? "" }, result));
  }));
}

function selectJob(id) {
  if (training.id === id) return;
  training.source?.close();
  Object.assign(training, { id, source: null, job: null, epochs: new Map(), model: null });
  for (const row of $("job-table").tBodies[0].rows) row.classList.toggle("selected", row.dataset.job === id);
  $("job-detail").hidden = false;
  $("job-id").textContent = id;
  $("job-state").textContent = "";
  $("job-state").className = "state";
  $("job-status").textContent = "";
  $("job-progress").value = 0;
  $("job-percent").textContent = "";
  $("confusion-figure").hidden = true;
  drawEpochCurves();
  follow(id);
}

function follow(id) {
  const source = new EventSource(`/api/gateway/train/${encodeURIComponent(id)}/events`);
  training.source = source;
  $("job-live").textContent = "connecting…";
  const onEvent = (event) => {
    if (training.source !== source) return;
    $("job-live").textContent = "live";
    applyJob(JSON.parse(event.data));
  };
  for (const name of ["state", "progress", "epoch"]) source.addEventListener(name, onEvent);
  source.onerror = async () => {
    if (training.source !== source) return;
    // The stream ends when the job does, or broke (gateway restarted): read the job; stop once it is over.
    try {
      applyJob(await gateway(`/train/${encodeURIComponent(id)}`));
    } catch (error) {
      showMessage($("training-problem"), error);
    }
    if (FINAL_STATES.includes(training.job?.state)) {
      source.close();
      $("job-live").textContent = "";
    } else if (source.readyState === EventSource.CLOSED) {
      // A 503 from the forwarder ends an EventSource for good: try again in a while.
      $("job-live").textContent = "disconnected, retrying…";
      setTimeout(() => { if (training.source === source) follow(id); }, 3000);
    } else {
      $("job-live").textContent = "reconnecting…";
    }
  };
}

function applyJob(job) {
  if (job.id !== training.id) return;
  const stateChanged = training.job?.state !== job.state;
  training.job = job;
  const badge = $("job-state");
  badge.textContent = job.state;
  badge.className = `state ${job.state}`;
  $("job-status").textContent = describeJob(job);
  const fraction = jobProgress(job);
  $("job-progress").value = fraction;
  $("job-percent").textContent = `${(fraction * 100).toFixed(0)} %`;
  if (job.latest && addEpoch(job.latest)) drawEpochCurves();
  if (job.state === "succeeded" && job.result?.version && training.model !== job.result.version) showModel(job.result.version);
  if (stateChanged && state.tab === "training") refreshTraining(); // the list says so too, without waiting for the poll
}

function addEpoch(e) {
  const key = `${e.phase}.${e.epoch}`;
  if (training.epochs.has(key)) return false;
  training.epochs.set(key, e);
  return true;
}

function drawEpochCurves() {
  const epochs = [...training.epochs.values()].sort((a, b) => a.phase - b.phase || a.epoch - b.epoch);
  drawCurves($("loss-chart"), epochs, [
    { key: "trainLoss", name: "train loss", color: "#0969da" },
    { key: "validationLoss", name: "validation loss", color: "#cf222e" },
  ]);
  drawCurves($("accuracy-chart"), epochs, [
    { key: "trainAccuracy", name: "train accuracy", color: "#0969da" },
    { key: "validationAccuracy", name: "validation accuracy", color: "#cf222e" },
    { key: "validationMacroF1", name: "validation macro-F1", color: "#1a7f37" },
  ], { max: 1, format: (v) => `${Math.round(v * 100)} %` });
}

/** The published version's metrics: the whole epoch history (the events may have started mid-run) and the confusion matrix. */
async function showModel(version) {
  training.model = version;
  let model;
  try {
    model = await gateway(`/models/${encodeURIComponent(version)}`);
  } catch (error) {
    training.model = null; // try again on the next event or refresh
    showMessage($("training-problem"), error);
    return;
  }
  const metrics = model.metrics ?? {};
  for (const e of metrics.history ?? []) addEpoch(e);
  drawEpochCurves();
  if (Array.isArray(metrics.confusionMatrix)) {
    $("confusion-version").textContent = version;
    $("confusion-split").textContent = `${metrics.evaluationSplit ?? "the evaluation split"} (${metrics.evaluationCount ?? "?"} images, accuracy ${percent(metrics.accuracy)})`;
    renderConfusion($("confusion"), metrics.labels ?? FER_CLASSES, metrics.confusionMatrix);
    $("confusion-figure").hidden = false;
  }
}

function describeJob(job) {
  if (job.state === "failed" || job.state === "cancelled") return job.error ?? `the job ${job.state}`;
  if (job.state === "succeeded" && job.result) {
    const r = job.result;
    return `published ${r.version} (validation macro-F1 ${fixed(r.validationMacroF1)}): ${r.promoted ? "promoted to production" : "not promoted"}, ${r.promotionReason}`;
  }
  if (job.state === "queued") return "queued";
  const parts = [job.stage ?? "starting"];
  if (job.phase > 0) parts.push(`phase ${job.phase}`);
  if (job.epoch > 0) parts.push(`epoch ${job.epoch}${job.epochs ? ` of ${job.epochs}` : ""}`);
  if (job.batches > 0) parts.push(`batch ${job.batch} of ${job.batches}`);
  if (job.stage === "training" && typeof job.loss === "number") parts.push(`loss ${job.loss.toFixed(4)}`);
  if (typeof job.imagesPerSecond === "number" && job.imagesPerSecond > 0) parts.push(`${job.imagesPerSecond.toFixed(0)} images/s`);
  if (job.message && job.stage !== "training") parts.push(job.message);
  return parts.join(" · ");
}

/** Finished epochs, plus the running epoch's share of batches, out of the epochs asked for (early stopping may end sooner). */
function jobProgress(job) {
  if (job.state === "succeeded") return 1;
  const total = (job.options?.epochs1 ?? 0) + (job.options?.epochs2 ?? 0);
  if (!total) return 0;
  const inEpoch = (job.stage === "training" || job.stage === "validating") && job.epoch > 0 && job.batches > 0;
  return Math.max(0, Math.min(1, (job.completedEpochs + (inEpoch ? job.batch / job.batches : 0)) / total));
}
