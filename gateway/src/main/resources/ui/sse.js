// Server-sent events over fetch.
//
// The browser's EventSource can only send GET requests and cannot add an Authorization header, while a chat
// completion is a POST that must carry the API key. So we read the response body ourselves: fetch() gives a
// ReadableStream of bytes, TextDecoderStream turns it into text, and this generator cuts the text into events
// as the server-sent-events format defines them (fields "event:", "data:", "id:", one event per blank line).

/**
 * Yields {event, data, id} for every event in a text/event-stream response, as soon as its blank line arrives,
 * so the caller can paint each token the moment it exists.
 */
export async function* serverSentEvents(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = { event: 'message', data: [], id: null };
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      // A network chunk may end in the middle of a line: keep the unfinished tail for the next read.
      const lines = buffer.split(/\r\n|\r|\n/);
      buffer = lines.pop();
      for (const line of lines) {
        if (line === '') {
          if (event.data.length > 0) yield { event: event.event, data: event.data.join('\n'), id: event.id };
          event = { event: 'message', data: [], id: null };
        } else if (!line.startsWith(':')) {          // a line starting with ':' is a comment (keep-alive)
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'data') event.data.push(value);
          else if (field === 'event') event.event = value;
          else if (field === 'id') event.id = value;
        }
      }
    }
  } finally {
    reader.releaseLock();
  }
}
