// The admin key: typed once on the page, kept for this tab only (sessionStorage), sent as X-Api-Key on every change
// (start, cancel, promote, roll back). The gateway answers 401 without it and 403 for a wrong one.
import { ApiError } from './api.js';
import { $ } from './dom.js';

const KEY_STORAGE = 'fer.adminKey';

export function initAdminKey() {
  const key = $('admin-key');
  key.value = sessionStorage.getItem(KEY_STORAGE) || '';
  key.addEventListener('input', () => sessionStorage.setItem(KEY_STORAGE, key.value.trim()));
}

/** The header to send, or an error that asks for the key (and puts the cursor in its field). */
export function adminHeaders() {
  const key = $('admin-key').value.trim();
  if (!key) {
    $('admin-key').focus();
    throw new ApiError(401, 'Admin key required', 'Enter the admin key (the gateway prints it at start-up, or FER_ADMIN_KEY).');
  }
  return { 'X-Api-Key': key };
}
