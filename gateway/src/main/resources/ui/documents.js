// Document upload with progress, through the OpenAI files and vector-store APIs the gateway routes to retrieval:
// upload the file (POST /v1/files), put it in this tab's vector store (POST /v1/vector_stores/{id}/files), then
// wait until retrieval has parsed, chunked and embedded it. fetch() cannot report upload progress, so the upload
// itself uses XMLHttpRequest, whose upload.onprogress event can.

import { apiFetch, apiKey, problemOf } from './api.js';

const STORE_NAME = 'genai-platform.vector-store';

/** Uploads `file`, calling onProgress(percent, words) along the way; resolves to the vector-store file. */
export async function uploadDocument(file, onProgress) {
  const uploaded = await sendWithProgress(file, (percent) => onProgress(percent, `Uploading ${file.name}: ${percent}%`));
  onProgress(100, `Uploaded ${file.name}; indexing…`);
  const storeId = await vectorStore();
  let attached = await (await apiFetch(`/v1/vector_stores/${storeId}/files`, {
    method: 'POST', json: { file_id: uploaded.id },
  })).json();
  while (attached.status === 'in_progress') {
    await new Promise((resolve) => setTimeout(resolve, 500));
    attached = await (await apiFetch(`/v1/vector_stores/${storeId}/files/${uploaded.id}`)).json();
  }
  if (attached.status !== 'completed') {
    throw new Error(`Indexing ${file.name} failed: ${attached.last_error?.message ?? attached.status}`);
  }
  onProgress(100, `${file.name} is indexed: tick "Answer from my uploaded documents" to ask about it.`);
  return attached;
}

/** This tab's vector store if an upload created one (chat then may search it: "vector_store_ids"). */
export const uploadedStore = () => sessionStorage.getItem(STORE_NAME);

/** This tab's vector store, created on first use. */
async function vectorStore() {
  const known = sessionStorage.getItem(STORE_NAME);
  if (known) return known;
  const store = await (await apiFetch('/v1/vector_stores', { method: 'POST', json: { name: 'web-ui uploads' } })).json();
  sessionStorage.setItem(STORE_NAME, store.id);
  return store.id;
}

function sendWithProgress(file, onPercent) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    form.append('purpose', 'assistants');
    form.append('file', file);
    const request = new XMLHttpRequest();
    request.open('POST', '/v1/files');
    request.setRequestHeader('Authorization', `Bearer ${apiKey.get()}`);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onPercent(Math.round((100 * event.loaded) / event.total));
    };
    request.onerror = () => reject(new Error('The upload was interrupted. Check your connection and try again.'));
    request.onload = async () => {
      // Reuse the one place that turns an error answer into words (api.js), via a Response built from the XHR.
      const response = new Response(request.responseText, {
        status: request.status,
        headers: { 'Content-Type': request.getResponseHeader('Content-Type') ?? 'text/plain',
          'Retry-After': request.getResponseHeader('Retry-After') ?? '' },
      });
      if (response.ok) resolve(await response.json());
      else reject(await problemOf(response));
    };
    request.send(form);
  });
}
