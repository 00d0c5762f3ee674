// The trace panel: everything the platform did for one answer, read from the answer's own "platform" member
// (ADR 0005). Every member is optional (a cache hit has no retrieval, a blocked answer no model), so each part
// is drawn only when it is there. Text goes in with textContent only: nothing here is parsed as HTML.

/** el('td', {className: 'num'}, '0.4 ms') builds an element; children are nodes or text. */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined) continue;
    if (name === 'className') element.className = value;
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

const money = (usd) => (usd === undefined || usd === null ? '' : `$${Number(usd).toFixed(6)}`);
const millis = (ms) => (ms === undefined || ms === null ? '' : `${Number(ms).toFixed(1)} ms`);

function table(caption, headings, rows) {
  return el('table', {},
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, headings.map((heading) => el('th', { scope: 'col' }, heading)))),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((cell) => el('td', {}, cell))))));
}

/** The one-line summary under an answer: which model served it and why. */
export function routeLine(answer) {
  const route = answer.platform?.route;
  const parts = [`model ${route?.model ?? answer.model ?? 'unknown'}`];
  if (route?.rule) parts.push(`route ${route.rule}`);
  if (route && route.chosen && route.chosen !== route.model) parts.push(`fell back from ${route.chosen}`);
  if (answer.platform?.cache) parts.push(`cache ${answer.platform.cache}`);
  if (answer.platform?.costUsd !== undefined && answer.platform?.costUsd !== null) parts.push(money(answer.platform.costUsd));
  return parts.join(' · ');
}

/** A closed <details> with the stages, passages, token budget and guardrail decisions of one answer. */
export function tracePanel(answer) {
  const platform = answer.platform ?? {};
  const parts = [];
  if (platform.stages?.length) {
    parts.push(table('Stages', ['Stage', 'Time', 'Cost', 'Outcome'], platform.stages.map((stage) =>
      [stage.name, millis(stage.millis), money(stage.costUsd), [stage.outcome, stage.detail].filter(Boolean).join(' — ')])));
  } else if (platform.attempts?.length) {
    parts.push(el('p', {}, `Model calls: ${platform.attempts.join(', ')}`));
  }
  const passages = platform.retrieval?.passages;
  if (passages?.length) {
    parts.push(table(`Retrieved passages for “${platform.retrieval.query ?? ''}”`, ['Document', 'Section', 'Score', 'Cited'],
      passages.map((passage) => [passage.documentPath ?? passage.fileId ?? '', passage.heading ?? passage.title ?? '',
        Number(passage.score).toFixed(4), passage.cited ? 'yes' : 'no'])));
  }
  const budget = platform.tokenBudget;
  if (budget) {
    parts.push(table(`Prompt token budget (${budget.strategy ?? ''})`, ['Part', 'Tokens'], [
      ['context window', budget.contextWindow], ['reserved for the answer', budget.answerReserve],
      ['system prompt', budget.system], ['tools', budget.tools], ['retrieved passages', budget.retrievedContext],
      ['conversation history', budget.history], ['prompt limit', budget.promptLimit],
      ['passages dropped', budget.passagesDropped], ['turns dropped', budget.turnsDropped],
    ].filter(([, value]) => value !== undefined)));
  }
  for (const side of ['input', 'output']) {
    const check = platform.guardrails?.[side];
    if (check) {
      const findings = (check.findings ?? []).map((finding) => `${finding.category} (${finding.action})`).join(', ');
      parts.push(el('p', {}, `Guardrails on ${side}: ${check.decision}${check.policy ? `, policy ${check.policy}` : ''}`
        + (findings ? `; findings: ${findings}` : '; no findings')));
    }
  }
  if (platform.experiment) {
    parts.push(el('p', {}, `Experiment ${platform.experiment.name}, arm ${platform.experiment.arm}, prompt ${platform.experiment.promptVersion ?? ''}`));
  }
  if (answer.usage) {
    parts.push(el('p', {}, `Tokens: ${answer.usage.prompt_tokens} in, ${answer.usage.completion_tokens} out`));
  }
  if (parts.length === 0) parts.push(el('p', {}, 'The platform sent no trace for this answer.'));
  return el('details', { className: 'trace' }, el('summary', {}, 'How this answer was made'), parts);
}
