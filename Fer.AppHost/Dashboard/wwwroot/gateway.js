// The trainer's API as the training and models pages reach it: through the dashboard's forwarder to the gateway
// (/api/gateway/train/**, /api/gateway/models/**). A ProblemDetails answer becomes an error that says what it says.
"use strict";

class GatewayError extends Error {
  constructor(status, title, detail) {
    super(detail ? `${title}: ${detail}` : title);
    this.status = status;
    this.title = title;
    this.detail = detail;
  }
}

async function gateway(path, options = {}) {
  const response = await fetch(`/api/gateway${path}`, options);
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    throw new GatewayError(response.status, body?.title ?? `HTTP ${response.status}`, body?.detail ?? (body ? "" : text.slice(0, 200)));
  }
  return body;
}

/** Shows an error (or a plain message with kind "ok") in a box; null hides it. */
function showMessage(box, message, kind = "problem") {
  box.hidden = message == null;
  box.className = kind;
  if (message == null) box.textContent = "";
  else if (message instanceof GatewayError) box.textContent = `${message.status} ${message.message}`;
  else box.textContent = message instanceof Error ? message.message : message;
}

const percent = (value) => typeof value === "number" ? `${(value * 100).toFixed(1)} %` : "";
const fixed = (value, digits = 3) => typeof value === "number" ? value.toFixed(digits) : "";
