// Predict from a photo (drop or choose) or from the webcam (continuous, one request in flight). /predict answers every
// face it found, largest first, each with its box, its crop square and its emotions: the page draws a box and a label
// over the picture for each face and shows the chosen face's crop (cut here as the service cut it) and its seven bars.
import { EMOTIONS, request, showError, setModelVersion, setDetector, formatPercent } from './api.js';
import { MAX_SIDE, lumaOf, cropOf, drawCrop } from './crop.js';
import { drawFaces, markSelected, coverVideo } from './faces.js';
import { showFeedback } from './feedback.js';

const $ = (id) => document.getElementById(id);

let photo = null; // { file, image, answer, elapsed }: the photo shown and its answer
let webcam = null; // { stream, timer, busy, pausedUntil, count, answered: [times] }

export function initPredict() {
  initTabs();
  initPhoto();
  $('webcam-toggle').addEventListener('click', () => (webcam ? stopWebcam() : startWebcam()));
  $('webcam-rate').addEventListener('change', () => webcam && schedule(0));
  $('face-mode').addEventListener('change', () => photo && !webcam && predictPhoto(photo, mode()));
  for (const button of $('no-face').querySelectorAll('button[data-faces]')) {
    button.addEventListener('click', () => photo && predictPhoto(photo, button.dataset.faces));
  }
  buildBars();
}

/** The faces option chosen; the service's default (detect) is not sent, so small images are taken whole. */
function mode() {
  return $('face-mode').value;
}

function initTabs() {
  const tabs = [$('tab-photo'), $('tab-webcam')];
  const select = (tab) => {
    for (const t of tabs) {
      const selected = t === tab;
      t.setAttribute('aria-selected', String(selected));
      t.tabIndex = selected ? 0 : -1;
      $(t.getAttribute('aria-controls')).hidden = !selected;
    }
    if (tab.id === 'tab-photo' && webcam) stopWebcam();
  };
  for (const tab of tabs) {
    tab.addEventListener('click', () => select(tab));
    tab.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
      const next = tabs[(tabs.indexOf(tab) + 1) % tabs.length];
      select(next);
      next.focus();
    });
  }
  select(tabs[0]);
}

function initPhoto() {
  const zone = $('dropzone');
  const input = $('file-input');
  input.addEventListener('change', () => {
    if (input.files && input.files[0]) predictFile(input.files[0]);
    input.value = '';
  });
  for (const name of ['dragenter', 'dragover']) {
    zone.addEventListener(name, (event) => {
      event.preventDefault();
      zone.classList.add('dragging');
    });
  }
  for (const name of ['dragleave', 'drop']) {
    zone.addEventListener(name, () => zone.classList.remove('dragging'));
  }
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    const file = [...(event.dataTransfer?.files || [])].find((f) => f.type.startsWith('image/')) || event.dataTransfer?.files?.[0];
    if (file) predictFile(file);
  });
}

async function predictFile(file) {
  showError($('predict-error'), null);
  // The browser applies EXIF orientation here, as the service does on its side: both see the same upright picture.
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' }).catch(() => null);
  const current = { file, image: bitmap ? showPhoto(bitmap) : null, answer: null, elapsed: 0 };
  bitmap?.close();
  photo = current;
  $('photo-view').hidden = !current.image;
  $('no-face').hidden = true;
  $('result').hidden = true;
  await predictPhoto(current, mode());
}

/** Draws the upright photo into the stage, sized to the space it has, and keeps its luma to cut crops from. */
function showPhoto(bitmap) {
  const canvas = $('photo-canvas');
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const stage = $('photo-stage');
  // As wide as the card allows, at most 420 px high, and at most four times its own size (a 48x48 crop shows at 192).
  stage.style.aspectRatio = `${bitmap.width} / ${bitmap.height}`;
  stage.style.width = `min(100%, ${(420 * bitmap.width) / bitmap.height}px, ${4 * bitmap.width}px)`;
  stage.classList.toggle('enlarged', bitmap.width < 200);
  $('photo-faces').replaceChildren();
  $('photo-summary').textContent = 'Looking for faces…';
  $('dropzone').classList.add('compact');
  return lumaOf(canvas, canvas.width, canvas.height);
}

async function predictPhoto(current, faces) {
  showError($('predict-error'), null);
  try {
    const result = await predict(current.file, current.file.type || 'application/octet-stream', faces);
    if (photo !== current) return;
    current.answer = result.body;
    current.elapsed = result.elapsed;
    renderPhoto(current);
  } catch (error) {
    if (photo !== current) return;
    $('photo-summary').textContent = '';
    showError($('predict-error'), error);
  }
}

async function predict(blob, contentType, faces) {
  const query = faces && faces !== 'detect' ? `?faces=${encodeURIComponent(faces)}` : '';
  const started = performance.now();
  const response = await request(`/predict${query}`, { method: 'POST', headers: { 'Content-Type': contentType }, body: blob });
  const body = await response.json();
  if (!body || typeof body !== 'object' || !Array.isArray(body.faces) || !body.image) {
    throw new Error('The service answered without faces.');
  }
  setModelVersion(body.modelVersion);
  setDetector(body.detector);
  return { body, elapsed: performance.now() - started };
}

function renderPhoto(current) {
  const answer = current.answer;
  const layer = $('photo-faces');
  const count = answer.faces.length;
  $('photo-summary').textContent = summaryOf(answer);
  $('no-face').hidden = count > 0;
  $('no-face-message').textContent = answer.message || 'No face was found in this photo.';
  if (count === 0) {
    layer.replaceChildren();
    $('result').hidden = true;
    return;
  }
  const choose = (index) => {
    markSelected(layer, index);
    showFace(answer, index, current.image, current.elapsed);
  };
  drawFaces(layer, answer, { selected: 0, onSelect: choose });
  showFace(answer, 0, current.image, current.elapsed);
}

function summaryOf(answer) {
  const count = answer.faces.length;
  if (answer.faceMode === 'whole') return 'Taken whole: the image is the face.';
  if (answer.faceMode === 'centre') return 'The centre square, taken as the face.';
  if (count === 0) return `No face found${answer.detector ? ` by ${answer.detector}` : ''}.`;
  const found = `${count} ${count === 1 ? 'face' : 'faces'} found${answer.detector ? ` by ${answer.detector}` : ''}`;
  return count === 1 ? `${found}.` : `${found}, largest first: choose one to see its crop and emotions.`;
}

/** The crop, the emotion and the seven bars of face `index` of an answer. */
function showFace(answer, index, image, elapsed) {
  const face = answer.faces[index];
  if (image) drawCrop($('crop-canvas'), cropOf(image, face.crop, answer.image.width));
  const probabilities = face.probabilities || {};
  $('emotion').textContent = face.emotion;
  $('confidence').textContent = `${formatPercent(face.confidence)} confident`;
  for (const li of $('bars').children) {
    const p = Number(probabilities[li.dataset.emotion] ?? 0);
    li.querySelector('.fill').style.width = `${(p * 100).toFixed(1)}%`;
    li.querySelector('.value').textContent = formatPercent(p);
    li.classList.toggle('top', li.dataset.emotion === face.emotion);
    li.setAttribute('aria-label', `${li.dataset.emotion} ${formatPercent(p)}`);
  }
  const meta = [];
  if (answer.faces.length > 1) meta.push(`face ${index + 1} of ${answer.faces.length}`);
  if (typeof face.score === 'number') meta.push(`detector score ${formatPercent(face.score)}`);
  if (face.modelVersion) meta.push(`model ${face.modelVersion}`);
  meta.push(`${Math.round(elapsed)} ms round trip`);
  const serverTotal = answer.timings && (answer.timings.totalMs ?? answer.timings.total);
  if (typeof serverTotal === 'number') meta.push(`${serverTotal.toFixed(1)} ms in the service`);
  $('result-meta').textContent = meta.join(' · ');
  showFeedback(face);
  $('result').dataset.face = String(index);
  $('result').classList.remove('stale');
  $('result').hidden = false;
}

function buildBars() {
  const list = $('bars');
  list.replaceChildren(...EMOTIONS.map((emotion) => {
    const li = document.createElement('li');
    li.dataset.emotion = emotion;
    li.innerHTML = `<span class="name"></span><span class="track" aria-hidden="true"><span class="fill"></span></span><span class="value">&ndash;</span>`;
    li.querySelector('.name').textContent = emotion;
    return li;
  }));
}

async function startWebcam() {
  showError($('predict-error'), null);
  const button = $('webcam-toggle');
  button.disabled = true;
  try {
    if (!navigator.mediaDevices?.getUserMedia) throw new Error('This browser has no camera access here (a camera needs https or localhost).');
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: 'user' }, audio: false });
    const video = $('webcam-video');
    video.srcObject = stream;
    await video.play();
    webcam = { stream, timer: 0, busy: false, pausedUntil: 0, count: 0, answered: [] };
    $('webcam-off').hidden = true;
    button.textContent = 'Stop camera';
    schedule(0);
  } catch (error) {
    showError($('predict-error'), { title: 'Camera unavailable', detail: error.message || String(error) });
  } finally {
    button.disabled = false;
  }
}

function stopWebcam() {
  if (!webcam) return;
  clearTimeout(webcam.timer);
  for (const track of webcam.stream.getTracks()) track.stop();
  webcam = null;
  $('webcam-video').srcObject = null;
  $('webcam-faces').replaceChildren();
  $('webcam-off').hidden = false;
  $('webcam-fps').textContent = '';
  $('webcam-toggle').textContent = 'Start camera';
}

function schedule(delay) {
  if (!webcam) return;
  clearTimeout(webcam.timer);
  webcam.timer = setTimeout(tick, delay);
}

/** One frame: sent when the previous answer is in and the chosen interval has passed, never two at a time. */
async function tick() {
  const state = webcam;
  if (!state || state.busy) return;
  const interval = Number($('webcam-rate').value) || 500;
  const wait = state.pausedUntil - performance.now();
  if (wait > 0) return schedule(wait);
  const video = $('webcam-video');
  if (video.readyState < 2 || !video.videoWidth) return schedule(100);

  state.busy = true;
  const started = performance.now();
  try {
    const frame = document.createElement('canvas');
    frame.width = video.videoWidth;
    frame.height = video.videoHeight;
    frame.getContext('2d').drawImage(video, 0, 0);
    const blob = await new Promise((resolve) => frame.toBlob(resolve, 'image/jpeg', 0.85));
    const result = await predict(blob, 'image/jpeg', mode());
    if (webcam !== state) return;
    renderFrame(result.body, frame, result.elapsed);
    showError($('predict-error'), null);
    state.count += 1;
    $('webcam-stats').textContent = `${state.count} predictions`;
    $('webcam-fps').textContent = rateOf(state.answered, performance.now());
  } catch (error) {
    if (webcam !== state) return;
    showError($('predict-error'), error);
    // Rate limited: wait as long as the gateway asks; other errors: back off a little before trying again.
    state.pausedUntil = performance.now() + (error.retryAfter ? error.retryAfter * 1000 : 2000);
  } finally {
    state.busy = false;
  }
  if (webcam === state) schedule(Math.max(0, interval - (performance.now() - started)));
}

/** The boxes over the live picture (mirrored as it is shown) and the largest face's crop and bars. */
function renderFrame(answer, frame, elapsed) {
  const layer = $('webcam-faces');
  coverVideo(layer, $('webcam-video'));
  drawFaces(layer, answer, { mirror: true });
  if (answer.faces.length === 0) {
    // Keep the last face's answer, dimmed, rather than flicker when one frame has no face.
    $('result').classList.add('stale');
    $('result-meta').textContent = 'No face in view.';
    return;
  }
  showFace(answer, 0, lumaOf(frame, frame.width, frame.height), elapsed);
}

/** Answers per second over the last ten answers: the frame rate the service and the page reach together. */
function rateOf(answered, now) {
  answered.push(now);
  if (answered.length > 11) answered.shift();
  if (answered.length < 2) return '';
  const perSecond = ((answered.length - 1) * 1000) / (now - answered[0]);
  return `${perSecond.toFixed(1)} frames/s`;
}
