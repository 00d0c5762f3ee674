// The page's wiring: the key, the conversation, and what each answer shows. Read chat.js (streaming),
// trace.js (the trace panel) and api.js (the key and errors) next.

import { marked } from '/webjars/marked/lib/marked.esm.js';
import DOMPurify from '/webjars/dompurify/dist/purify.es.mjs';
import { apiFetch, apiKey, ApiError } from './api.js';
import { streamChat } from './chat.js';
import { el, routeLine, tracePanel } from './trace.js';
import { uploadDocument, uploadedStore } from './documents.js';
import { startRun } from './agent.js';

const $ = (id) => document.getElementById(id);
const history = [];            // the conversation as the model sees it: {role, content}, oldest first
let running = null;            // the AbortController of the answer being streamed

/** Model output is untrusted: markdown becomes HTML only through the sanitiser, which drops scripts and handlers. */
const safeHtml = (markdown) => DOMPurify.sanitize(marked.parse(markdown));

function notice(message) {
  $('notice').hidden = !message;
  $('notice').textContent = message ?? '';
}

// ---- the key ----------------------------------------------------------------------------------------------

/** Checks the key by listing its models, which also fills the model picker. */
async function useKey(key) {
  apiKey.set(key);
  try {
    const models = await (await apiFetch('/v1/models')).json();
    const picker = $('model');
    // The key's own models, as the gateway lists them; the first is chosen until the user picks another.
    picker.replaceChildren(...models.data.map((model) => el('option', { value: model.id }, model.id)));
    notice(null);
    $('key-help').textContent = `Key accepted: ${models.data.length} models. Kept in this tab only.`;
  } catch (error) {
    if (error instanceof ApiError && error.kind === 'auth') apiKey.clear();
    notice(error.message);
  }
}

$('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  useKey($('api-key').value.trim());
  $('api-key').value = '';
});
$('forget-key').addEventListener('click', () => {
  apiKey.clear();
  $('key-help').textContent = 'Key forgotten. Enter it again to chat.';
});

// ---- the conversation -------------------------------------------------------------------------------------

function addTurn(role, text) {
  const turn = $('turn-template').content.firstElementChild.cloneNode(true);
  turn.classList.add(role);
  turn.querySelector('.who').textContent = role === 'user' ? 'You' : 'Assistant';
  if (text) turn.querySelector('.body').textContent = text;
  $('conversation').append(turn);
  return turn;
}

async function send(text) {
  if (running) return;
  if (!$('model').value) {
    notice('Enter your API key first: it decides which models you may use.');
    $('message').value = text;
    return;
  }
  notice(null);
  addTurn('user', text);
  history.push({ role: 'user', content: text });
  const turn = addTurn('assistant');
  const body = turn.querySelector('.body');
  // The answer region is a polite live region: screen readers announce it when it settles. aria-busy holds the
  // announcement while tokens stream in, so a reader hears the answer once, not every word.
  body.setAttribute('aria-live', 'polite');
  body.setAttribute('aria-busy', 'true');
  running = new AbortController();
  $('send').disabled = true;
  $('stop').disabled = false;
  let frame = 0;
  let latest = '';
  try {
    const answer = await streamChat({
      messages: history, model: $('model').value, signal: running.signal,
      vectorStoreIds: $('search-uploads').checked && uploadedStore() ? [uploadedStore()] : [],
      // Paint at most once a frame: re-rendering the markdown for every token would cost more than it shows.
      onText: (text) => {
        latest = text;
        frame ||= requestAnimationFrame(() => { frame = 0; body.innerHTML = safeHtml(latest); });
      },
    });
    cancelAnimationFrame(frame);
    showAnswer(turn, answer);
  } catch (error) {
    cancelAnimationFrame(frame);
    history.pop();                                   // the model never saw an answer to it; the turn stays on screen
    showFailure(turn, error);
    if (error.name !== 'AbortError') $('message').value = text; // ready to send again
  } finally {
    body.setAttribute('aria-busy', 'false');
    running = null;
    $('send').disabled = false;
    $('stop').disabled = true;
  }
}

function showAnswer(turn, answer) {
  const body = turn.querySelector('.body');
  body.innerHTML = safeHtml(answer.text);
  turn.dataset.kind = answer.answerKind;
  if (answer.answerKind !== 'blocked') history.push({ role: 'assistant', content: answer.text });
  const state = {
    blocked: 'The platform stopped this answer: an output check found a problem with it.',
    abstained: 'The sources do not support an answer, so the assistant says it does not know.',
    partial: answer.interruption,
    clarifying_question: 'The request is ambiguous: the assistant asks what you meant.',
  }[answer.answerKind];
  if (state) turn.append(el('p', { className: 'state' }, state));
  if (answer.answerKind === 'blocked' && answer.text === '') body.textContent = '(no answer shown)';
  const options = answer.platform?.clarification?.options ?? [];
  if (options.length) {
    turn.append(el('div', { className: 'options', role: 'group', 'aria-label': 'Possible meanings' },
      options.map((option) => el('button', { type: 'button', onclick: () => send(option) }, option))));
  }
  if (answer.citations.length) {
    // Why citations: a reader can check the claim against its source instead of trusting the model, and the
    // link opens the exact span of the document version the answer was built from.
    turn.append(el('h3', {}, 'Sources'), el('ol', { className: 'citations' }, answer.citations.map((citation) =>
      el('li', {}, el('button', { type: 'button', className: 'citation', onclick: () => openSource(citation) },
        `[${citation.index}] ${citation.documentPath}${citation.heading ? ` — ${citation.heading}` : ''}`)))));
  }
  turn.append(el('p', { className: 'meta' }, routeLine(answer)));
  if (answer.id) turn.append(feedbackButtons(answer.id));
  turn.append(tracePanel(answer));
}

function showFailure(turn, error) {
  const message = error.name === 'AbortError' ? 'You stopped the answer before it started.' : error.message;
  const body = turn.querySelector('.body');
  body.replaceChildren(el('p', { className: 'state error' }, message));
  const findings = error.problem?.findings ?? [];
  if (findings.length) {
    body.append(el('ul', { 'aria-label': 'What the safety checks found' },
      findings.map((finding) => el('li', {}, [finding.category, finding.action].filter(Boolean).join(': ')))));
  }
  turn.dataset.kind = error.kind ?? 'stopped';
  if (error.kind !== 'blocked') notice(message);
}

function feedbackButtons(completionId) {
  const status = el('span', { role: 'status', className: 'meta' });
  const rate = (rating, button) => async () => {
    try {
      await apiFetch('/api/evaluation/feedback', { method: 'POST', json: { completionId, rating } });
      group.querySelectorAll('button').forEach((other) => other.setAttribute('aria-pressed', String(other === button)));
      status.textContent = 'Thanks, your feedback was recorded.';
    } catch (error) {
      status.textContent = `Feedback not recorded: ${error.message}`;
    }
  };
  const up = el('button', { type: 'button', 'aria-pressed': 'false', 'aria-label': 'Helpful answer' }, '👍');
  const down = el('button', { type: 'button', 'aria-pressed': 'false', 'aria-label': 'Unhelpful answer' }, '👎');
  up.addEventListener('click', rate('up', up));
  down.addEventListener('click', rate('down', down));
  const group = el('div', { className: 'feedback', role: 'group', 'aria-label': 'Rate this answer' }, up, down, status);
  return group;
}

/** Opens the cited document version with the cited span highlighted and scrolled into view. */
async function openSource(citation) {
  const dialog = $('source');
  $('source-title').textContent = `[${citation.index}] ${citation.documentPath}`;
  $('source-meta').textContent = 'Loading…';
  $('source-text').replaceChildren();
  dialog.showModal();
  try {
    const source = await (await apiFetch(`/api/retrieval/sources/${encodeURIComponent(citation.chunkId)}`)).json();
    $('source-meta').textContent = [source.title, source.heading, source.fileVersion ? `version ${source.fileVersion}` : null,
      source.asOf ? `as of ${source.asOf}` : null].filter(Boolean).join(' · ');
    const mark = el('mark', {}, source.text.slice(source.startOffset, source.endOffset));
    $('source-text').replaceChildren(source.text.slice(0, source.startOffset), mark, source.text.slice(source.endOffset));
    mark.scrollIntoView({ block: 'center' });
  } catch (error) {
    $('source-meta').textContent = error.status === 404
      ? 'This passage is no longer available: its document was replaced by a newer version or removed.'
      : error.message;
  }
}

$('chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('message').value.trim();
  if (!text) return;
  $('message').value = '';
  send(text);
});
// Enter sends, Shift+Enter starts a new line: the keyboard path through a chat.
$('message').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    $('chat-form').requestSubmit();
  }
});
$('stop').addEventListener('click', () => running?.abort());
$('new-conversation').addEventListener('click', () => {
  history.length = 0;
  $('conversation').replaceChildren();
  $('message').focus();
});

// ---- documents and agent runs -----------------------------------------------------------------------------

$('upload-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = $('file').files[0];
  if (!file) return;
  try {
    await uploadDocument(file, (percent, words) => {
      $('upload-progress').value = percent;
      $('upload-status').textContent = words;
    });
    $('search-uploads').disabled = false;
  } catch (error) {
    $('upload-status').textContent = error.message;
  }
});

$('agent-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const tools = $('agent-tools').value.split(',').map((tool) => tool.trim()).filter(Boolean);
  try {
    await startRun({ goal: $('goal').value, tools, model: $('model').value, container: $('agent-run') });
  } catch (error) {
    $('agent-run').replaceChildren(el('p', { className: 'state error' }, error.message));
  }
});

if (apiKey.get()) useKey(apiKey.get());
$('search-uploads').disabled = !uploadedStore();
