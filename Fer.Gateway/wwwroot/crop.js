// What the model saw, cut here as the service cuts it (Fer.Imaging's GrayImage.CropSquare): the picture's BT.601 luma
// rounded to a byte, the answer's crop rectangle with edge pixels repeated where it leaves the picture, and area
// resampling (each output pixel the coverage-weighted mean of the pixels under it) down or up to 48x48.

export const CROP = 48;

/** The longest side kept of a photo: a larger one is shrunk first (its crops then differ a little from the service's). */
export const MAX_SIDE = 2048;

/** A picture's luma, one byte a pixel (kept at most 2048 px on its longest side). */
export function lumaOf(source, width, height) {
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, 0, 0, w, h);
  const rgba = ctx.getImageData(0, 0, w, h).data;
  const luma = new Uint8Array(w * h);
  for (let p = 0, i = 0; p < luma.length; p++, i += 4) {
    luma[p] = Math.round(0.299 * rgba[i] + 0.587 * rgba[i + 1] + 0.114 * rgba[i + 2]);
  }
  return { luma, width: w, height: h };
}

/**
 * The 48x48 crop of `box` ({x, y, width, height} in pixels of the picture the service saw, `frameWidth` wide), as
 * grey levels 0..255 in row order.
 */
export function cropOf(image, box, frameWidth) {
  const s = image.width / frameWidth;
  const x = Math.round(box.x * s);
  const y = Math.round(box.y * s);
  const xs = taps(x, Math.max(1, Math.round(box.width * s)), image.width);
  const ys = taps(y, Math.max(1, Math.round(box.height * s)), image.height);
  const out = new Float32Array(CROP * CROP);
  for (let oy = 0; oy < CROP; oy++) {
    for (let ox = 0; ox < CROP; ox++) {
      let sum = 0;
      for (const [row, wy] of ys[oy]) {
        const base = row * image.width;
        for (const [column, wx] of xs[ox]) sum += image.luma[base + column] * wy * wx;
      }
      out[oy * CROP + ox] = sum;
    }
  }
  return out;
}

/** Draws grey levels (from cropOf) into a 48x48 canvas. */
export function drawCrop(canvas, grey) {
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const image = ctx.createImageData(CROP, CROP);
  const px = image.data;
  for (let p = 0, i = 0; p < grey.length; p++, i += 4) {
    px[i] = px[i + 1] = px[i + 2] = Math.min(255, Math.max(0, Math.round(grey[p])));
    px[i + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}

/** For each of the 48 outputs along one axis: the source pixels it covers (clamped into the picture) and their weights. */
function taps(start, length, limit) {
  const scale = length / CROP;
  const result = [];
  for (let o = 0; o < CROP; o++) {
    const from = o * scale;
    const to = (o + 1) * scale;
    const list = [];
    for (let s = Math.floor(from); s < Math.min(length, Math.ceil(to)); s++) {
      const cover = Math.min(to, s + 1) - Math.max(from, s);
      if (cover > 1e-9) list.push([Math.min(limit - 1, Math.max(0, start + s)), cover / scale]);
    }
    result.push(list);
  }
  return result;
}
