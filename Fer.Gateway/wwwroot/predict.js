// Predict from a photo (drop or choose) or from the webcam (continuous, throttled, one request in flight).
import { EMOTIONS, request, showError, setModelVersion, formatPercent } from './api.js';

const CROP = 48;
const $ = (id) => document.getElementById(id);

let webcam = null; // { stream, timer, busy, pausedUntil, count, started }

export function initPredict() {
  initTabs();
  initPhoto();
  $('webcam-toggle').addEventListener('click', () => (webcam ? stopWebcam() : startWebcam()));
  $('webcam-rate').addEventListener('change', () => webcam && schedule(0));
  buildBars();
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
  try {
    // The browser applies EXIF orientation here, as the service does on its side.
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' }).catch(() => null);
    if (bitmap) {
      drawCrop(bitmap, bitmap.width, bitmap.height);
      bitmap.close();
    }
    const result = await predict(file, file.type || 'application/octet-stream');
    render(result.body, result.elapsed);
  } catch (error) {
    showError($('predict-error'), error);
  }
}

async function predict(blob, contentType) {
  const started = performance.now();
  const response = await request('/predict', { method: 'POST', headers: { 'Content-Type': contentType }, body: blob });
  const body = await response.json();
  return { body: Array.isArray(body) ? body[0] : body, elapsed: performance.now() - started };
}

/** The canonical input, drawn here: centre square, 48x48, grey (BT.601 luma), as the model receives it. */
function drawCrop(source, width, height) {
  const side = Math.min(width, height);
  const sx = (width - side) / 2;
  const sy = (height - side) / 2;
  // Halve in steps so the final 48x48 averages the pixels under it (close to the service's area resampling).
  let canvas = document.createElement('canvas');
  let size = side;
  canvas.width = canvas.height = Math.max(CROP, Math.round(size));
  let ctx = canvas.getContext('2d');
  ctx.drawImage(source, sx, sy, side, side, 0, 0, canvas.width, canvas.height);
  while (size / 2 >= CROP) {
    size /= 2;
    const half = document.createElement('canvas');
    half.width = half.height = Math.round(size);
    const halfCtx = half.getContext('2d');
    halfCtx.imageSmoothingQuality = 'high';
    halfCtx.drawImage(canvas, 0, 0, half.width, half.height);
    canvas = half;
  }
  const target = $('crop-canvas');
  const out = target.getContext('2d', { willReadFrequently: true });
  out.imageSmoothingQuality = 'high';
  out.drawImage(canvas, 0, 0, CROP, CROP);
  const image = out.getImageData(0, 0, CROP, CROP);
  const px = image.data;
  for (let i = 0; i < px.length; i += 4) {
    const grey = Math.round(0.299 * px[i] + 0.587 * px[i + 1] + 0.114 * px[i + 2]);
    px[i] = px[i + 1] = px[i + 2] = grey;
    px[i + 3] = 255;
  }
  out.putImageData(image, 0, 0);
}

/** When the service returns the crop it used (a PNG, base64 or data URL), show that one instead of ours. */
function drawServiceCrop(result) {
  const value = result.crop || result.cropPng || result.faceCrop;
  if (typeof value !== 'string' || value.length === 0) return;
  const img = new Image();
  img.onload = () => $('crop-canvas').getContext('2d').drawImage(img, 0, 0, CROP, CROP);
  img.src = value.startsWith('data:') ? value : `data:image/png;base64,${value}`;
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

function render(result, elapsed) {
  if (!result || typeof result !== 'object') throw new Error('The service answered without a prediction.');
  const probabilities = result.probabilities || {};
  const best = result.emotion || EMOTIONS.reduce((a, b) => ((probabilities[a] ?? 0) >= (probabilities[b] ?? 0) ? a : b));
  $('emotion').textContent = best;
  const confidence = result.confidence ?? probabilities[best];
  $('confidence').textContent = confidence != null ? `${formatPercent(confidence)} confident` : '';
  for (const li of $('bars').children) {
    const p = Number(probabilities[li.dataset.emotion] ?? 0);
    li.querySelector('.fill').style.width = `${(p * 100).toFixed(1)}%`;
    li.querySelector('.value').textContent = formatPercent(p);
    li.classList.toggle('top', li.dataset.emotion === best);
    li.setAttribute('aria-label', `${li.dataset.emotion} ${formatPercent(p)}`);
  }
  const meta = [];
  if (result.modelVersion) meta.push(`model ${result.modelVersion}`);
  meta.push(`${Math.round(elapsed)} ms round trip`);
  const serverTotal = result.timings && (result.timings.totalMs ?? result.timings.total);
  if (typeof serverTotal === 'number') meta.push(`${serverTotal.toFixed(1)} ms in the service`);
  $('result-meta').textContent = meta.join(' · ');
  setModelVersion(result.modelVersion);
  drawServiceCrop(result);
  $('result').hidden = false;
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
    webcam = { stream, timer: 0, busy: false, pausedUntil: 0, count: 0, started: performance.now() };
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
  $('webcam-off').hidden = false;
  $('webcam-toggle').textContent = 'Start camera';
}

function schedule(delay) {
  if (!webcam) return;
  clearTimeout(webcam.timer);
  webcam.timer = setTimeout(tick, delay);
}

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
    drawCrop(frame, frame.width, frame.height);
    const blob = await new Promise((resolve) => frame.toBlob(resolve, 'image/jpeg', 0.85));
    const result = await predict(blob, 'image/jpeg');
    if (webcam !== state) return;
    render(result.body, result.elapsed);
    showError($('predict-error'), null);
    state.count += 1;
    $('webcam-stats').textContent = `${state.count} predictions`;
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
