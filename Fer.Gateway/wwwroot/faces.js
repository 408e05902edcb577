// Boxes and labels over a picture, one per face of a /predict answer. Positions are percentages of the picture the
// service saw (answer.image), so a layer laid exactly over the displayed picture keeps them in place at any size.
import { formatPercent } from './api.js';

/**
 * Fills `layer` with a box per face, largest first as answered. With `onSelect` each box is a button (click, Enter or
 * Space chooses that face; `selected` is pressed); without, the boxes are only drawn. `mirror` flips them left to right,
 * as the webcam's picture is shown.
 */
export function drawFaces(layer, answer, { selected = -1, onSelect = null, mirror = false } = {}) {
  const { width, height } = answer.image;
  const faces = answer.faces;
  layer.replaceChildren(...faces.map((face, i) => {
    const box = document.createElement(onSelect ? 'button' : 'div');
    box.className = 'face-box';
    box.dataset.face = String(i);
    const left = mirror ? width - face.box.x - face.box.width : face.box.x;
    box.style.left = `${(100 * left) / width}%`;
    box.style.top = `${(100 * face.box.y) / height}%`;
    box.style.width = `${(100 * face.box.width) / width}%`;
    box.style.height = `${(100 * face.box.height) / height}%`;
    const label = document.createElement('span');
    label.className = 'face-label';
    // A box at the top edge carries its label inside, and one on the right half ends its label at its right side,
    // where it stays visible.
    if (face.box.y < height * 0.08) label.classList.add('inside');
    if (left + face.box.width / 2 > width / 2) label.classList.add('end');
    label.textContent = `${face.emotion} ${Math.round(face.confidence * 100)}%`;
    box.append(label);
    if (onSelect) {
      box.type = 'button';
      box.setAttribute('aria-pressed', String(i === selected));
      box.setAttribute('aria-label', `Face ${i + 1} of ${faces.length}: ${face.emotion}, ${formatPercent(face.confidence)}`);
      box.addEventListener('click', () => onSelect(i));
    }
    return box;
  }));
}

/** Marks face `index` as the chosen one among the layer's buttons. */
export function markSelected(layer, index) {
  for (const box of layer.children) box.setAttribute('aria-pressed', String(box.dataset.face === String(index)));
}

/**
 * Lays `layer` over the part of its container where `video` shows its picture (object-fit: cover crops the overflow),
 * so that the percentages of drawFaces land on the faces.
 */
export function coverVideo(layer, video) {
  const cw = video.clientWidth;
  const ch = video.clientHeight;
  const scale = Math.max(cw / video.videoWidth, ch / video.videoHeight);
  const w = video.videoWidth * scale;
  const h = video.videoHeight * scale;
  layer.style.left = `${(cw - w) / 2}px`;
  layer.style.top = `${(ch - h) / 2}px`;
  layer.style.width = `${w}px`;
  layer.style.height = `${h}px`;
}
