// Talking to the gateway: every error becomes a readable message built from the API's ProblemDetails.

/** The model's classes in output order, as the gateway says (it has them from Fer.Contracts); empty when unreachable. */
export const EMOTIONS = await fetchLabels();

async function fetchLabels() {
  try {
    const response = await fetch('/api/info');
    const info = response.ok ? await response.json() : null;
    return Array.isArray(info?.labels) ? info.labels : [];
  } catch {
    return [];
  }
}

export class ApiError extends Error {
  constructor(status, title, detail, extra = {}) {
    super(detail ? `${title}: ${detail}` : title);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.extra = extra;
  }
}

/** Reads a failed response (ProblemDetails, other JSON, or text) into an ApiError. */
export async function toApiError(response) {
  const type = response.headers.get('content-type') || '';
  let body = null;
  try {
    body = type.includes('json') ? await response.json() : (await response.text()).trim();
  } catch {
    body = null;
  }
  if (body && typeof body === 'object') {
    const title = body.title || `${response.status} ${response.statusText}`;
    const parts = [];
    if (body.detail) parts.push(body.detail);
    if (body.errors && typeof body.errors === 'object') {
      for (const [field, messages] of Object.entries(body.errors)) {
        parts.push(`${field}: ${[].concat(messages).join(' ')}`);
      }
    }
    return new ApiError(response.status, title, parts.join(' '), body);
  }
  const fallback = {
    401: 'The admin key is missing.',
    403: 'The admin key is wrong.',
    413: 'The file is too large.',
    429: 'Too many requests; slow down a little.',
    502: 'A service behind the gateway could not be reached.',
    503: 'The service is not ready yet.',
  }[response.status];
  return new ApiError(response.status, `${response.status} ${response.statusText || 'Error'}`.trim(), body || fallback || '', {});
}

/** fetch that throws ApiError for any non-2xx answer and a readable error when the network fails. */
export async function request(url, options = {}) {
  let response;
  try {
    response = await fetch(url, options);
  } catch (error) {
    throw new ApiError(0, 'Network error', `The gateway could not be reached (${error.message}).`);
  }
  if (!response.ok) {
    const error = await toApiError(response);
    error.retryAfter = Number(response.headers.get('retry-after')) || 0;
    error.requestId = response.headers.get('x-request-id') || error.extra.requestId || '';
    throw error;
  }
  return response;
}

export async function requestJson(url, options = {}) {
  const response = await request(url, options);
  const type = response.headers.get('content-type') || '';
  return type.includes('json') ? response.json() : null;
}

/** Shows an error in a role="alert" box: the problem's title in bold, its detail, and the request id to quote. */
export function showError(box, error) {
  if (!error) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  const title = document.createElement('strong');
  title.textContent = error.title || 'Something went wrong';
  const detail = document.createElement('span');
  detail.textContent = error.detail || (error.title ? '' : String(error.message || error));
  box.replaceChildren(title, detail);
  if (error.requestId) {
    const id = document.createElement('span');
    id.className = 'small';
    id.textContent = ` (request ${error.requestId})`;
    box.append(id);
  }
  box.hidden = false;
}

export function setModelVersion(version) {
  if (version) document.getElementById('model-version').textContent = version;
}

/** The face detector named by the latest answer that used one (answers taking the image whole or by its centre name none). */
export function setDetector(name) {
  if (name) document.getElementById('face-detector').textContent = name;
}

export function formatPercent(value) {
  return `${(value * 100).toFixed(1)}%`;
}
