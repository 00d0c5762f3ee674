// One streamed chat completion, read chunk by chunk (OpenAI's chat.completion.chunk events).
//
// Latency masking: a model writes its answer token by token, and the first token arrives long before the last.
// Asking with "stream": true and painting each piece as it arrives makes the wait feel like reading instead of
// staring at a spinner; the total time is the same. The answer's facts (citations, the trace in "platform")
// come last, on the chunk that carries finish_reason, because they are known only once the answer is complete.

import { apiFetch, ApiError } from './api.js';
import { serverSentEvents } from './sse.js';

/**
 * Streams an answer to `messages`. Calls onText(textSoFar) as text arrives and resolves to
 * {id, model, text, finishReason, citations, platform, usage, answerKind}. A stream that breaks after some text
 * resolves with answerKind 'partial' and the text so far (the error in `interruption`): what was said stands.
 * A stream that breaks before any text rejects with an ApiError.
 */
export async function streamChat({ messages, model, vectorStoreIds, signal, onText }) {
  const request = { model, messages, stream: true };
  // The platform's own field: which of the tenant's vector stores retrieval searches (none named: the default).
  if (vectorStoreIds?.length) request.vector_store_ids = vectorStoreIds;
  const response = await apiFetch('/v1/chat/completions', { method: 'POST', signal, json: request });
  const answer = { id: null, model: null, text: '', finishReason: null, citations: [], platform: null, usage: null };
  try {
    for await (const event of serverSentEvents(response)) {
      if (event.data === '[DONE]') break;
      const chunk = JSON.parse(event.data);
      if (chunk.error) throw new ApiError('unavailable', chunk.error.message || 'The answer failed.');
      answer.id ??= chunk.id;
      answer.model ??= chunk.model;
      const choice = chunk.choices?.[0];
      if (choice?.delta?.content) {
        answer.text += choice.delta.content;
        onText(answer.text);
      }
      if (choice?.finish_reason) {
        answer.finishReason = choice.finish_reason;
        answer.citations = chunk.citations ?? [];
        answer.platform = chunk.platform ?? null;
      }
      if (chunk.usage) answer.usage = chunk.usage;
    }
  } catch (error) {
    if (error.name === 'AbortError' && answer.text === '') throw error;
    if (answer.text === '' && error instanceof ApiError) throw error;
    if (answer.text === '') {
      throw new ApiError('network', 'The connection was lost before the answer started. Try again.');
    }
    // The text so far stands: show it, marked as cut short, rather than throwing it away.
    answer.interruption = error.name === 'AbortError'
      ? 'You stopped the answer.'
      : 'The connection was lost mid-answer: what arrived is shown, the rest is missing.';
    answer.answerKind = 'partial';
    return answer;
  }
  if (answer.finishReason === null) {
    answer.interruption = 'The answer ended without finishing: what arrived is shown, the rest is missing.';
    answer.answerKind = 'partial';
    return answer;
  }
  answer.answerKind = answer.finishReason === 'content_filter'
    ? 'blocked'
    : (answer.platform?.answerKind ?? 'answer');
  return answer;
}
