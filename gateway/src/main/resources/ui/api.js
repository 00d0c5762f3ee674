// Every call to the platform's API goes through apiFetch: it adds the key and turns every way a call can fail
// into one ApiError with a message a person can act on.
//
// Why the key lives in sessionStorage only: the page itself is public (it needs no key), the key is needed only
// on API calls. sessionStorage is per tab and is cleared when the tab closes, so the key is not left behind on a
// shared machine and is never sent by the browser on its own (unlike a cookie, which would also make every API
// call forgeable from another site: CSRF). The price: any script on this origin could read it, which is why the
// page allows no inline script and no script from elsewhere (Content-Security-Policy), and sanitises every
// piece of model output before it becomes HTML.

const KEY_NAME = 'genai-platform.api-key';

export const apiKey = {
  get: () => sessionStorage.getItem(KEY_NAME),
  set: (key) => sessionStorage.setItem(KEY_NAME, key),
  clear: () => sessionStorage.removeItem(KEY_NAME),
};

/** A failed call: kind is 'auth', 'rate-limit', 'blocked', 'invalid', 'unavailable', 'network' or 'other'. */
export class ApiError extends Error {
  constructor(kind, message, { status = 0, problem = null, retryAfter = null } = {}) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }
}

export async function apiFetch(path, { method = 'GET', body, json, signal, headers = {} } = {}) {
  const key = apiKey.get();
  if (!key) throw new ApiError('auth', 'Enter your API key first.');
  const request = { method, signal, headers: { Authorization: `Bearer ${key}`, ...headers } };
  if (json !== undefined) {
    request.headers['Content-Type'] = 'application/json';
    request.body = JSON.stringify(json);
  } else if (body !== undefined) {
    request.body = body;
  }
  let response;
  try {
    response = await fetch(path, request);
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError('network', 'Could not reach the platform. Check your connection and try again.');
  }
  if (!response.ok) throw await problemOf(response);
  return response;
}

/** Reads an error answer (application/problem+json, ADR 0004) into an ApiError. */
export async function problemOf(response) {
  let problem = null;
  try {
    problem = await response.json();
  } catch {
    // not JSON: a proxy's page, a cut connection; the status alone must do
  }
  const detail = problem?.detail || problem?.error?.message || response.statusText;
  const code = problem?.error?.code || problem?.type?.split('/').pop();
  const retryAfter = response.headers.get('Retry-After');
  const options = { status: response.status, problem, retryAfter };
  if (response.status === 401) {
    return new ApiError('auth', 'The platform did not accept this API key. Check it and enter it again.', options);
  }
  if (response.status === 429) {
    const wait = retryAfter ? ` Try again in ${retryAfter} s.` : ' Try again shortly.';
    return new ApiError('rate-limit', `Too many requests: ${detail}${wait}`, options);
  }
  if (code === 'input_blocked') {
    return new ApiError('blocked', `Your message was blocked by the platform's safety checks: ${detail}`, options);
  }
  if (response.status === 403) return new ApiError('auth', `This key may not do that: ${detail}`, options);
  if (response.status >= 500) return new ApiError('unavailable', `The platform could not answer (${response.status}): ${detail}`, options);
  if (response.status >= 400) return new ApiError('invalid', detail, options);
  return new ApiError('other', detail, options);
}
