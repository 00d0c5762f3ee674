// Agent runs: start one, follow its steps as server-sent events, and approve or deny a tool call the run is
// waiting on (human in the loop: a tool with side effects does nothing until a person says yes).

import { apiFetch } from './api.js';
import { serverSentEvents } from './sse.js';
import { el } from './trace.js';

/** Starts a run and draws it into `container`: its steps as they happen, and a button per pending approval. */
export async function startRun({ goal, tools, model, container }) {
  const run = await (await apiFetch('/api/agent/runs', { method: 'POST', json: { goal, tools, model } })).json();
  const steps = el('ol', { className: 'steps', 'aria-label': 'Steps of the run' });
  const approvals = el('div', { className: 'approvals' });
  const status = el('p', { role: 'status' }, `Run ${run.id}: ${run.status}`);
  const answer = el('div', { className: 'agent-answer' });
  container.replaceChildren(status, steps, approvals, answer);

  const response = await apiFetch(`/api/agent/runs/${run.id}/events`, { headers: { Accept: 'text/event-stream' } });
  for await (const event of serverSentEvents(response)) {
    const step = JSON.parse(event.data);
    steps.append(el('li', {}, describeStep(step)));
    if (event.event === 'approval.requested' || event.event === 'approval.decided' || isFinal(event.event)) {
      const view = await (await apiFetch(`/api/agent/runs/${run.id}`)).json();
      status.textContent = `Run ${run.id}: ${view.status}`;
      drawApprovals(run.id, view.approvals, approvals);
      if (view.answer) answer.replaceChildren(el('h3', {}, 'Answer'), el('p', {}, view.answer));
      if (view.error) answer.replaceChildren(el('p', { className: 'state error' }, `${view.error.code}: ${view.error.message}`));
    }
  }
}

function isFinal(type) {
  return type.startsWith('run.') && type !== 'run.started' && type !== 'run.resumed';
}

function describeStep(step) {
  const detail = step.detail ?? {};
  const what = detail.tool ?? detail.name ?? detail.model ?? detail.reason ?? '';
  const cost = step.costUsd ? `, $${step.costUsd}` : '';
  return `${step.type}${what ? `: ${what}` : ''} (${step.tokens ?? 0} tokens${cost})`;
}

function drawApprovals(runId, approvals, container) {
  container.replaceChildren(...approvals.map((approval) => {
    // statuses are upper case on the wire, like the run's own (PENDING, APPROVED, DENIED, EXPIRED, CANCELLED)
    if (approval.status !== 'PENDING') {
      return el('p', {}, `Tool ${approval.tool}: ${approval.status}${approval.decidedBy ? ` by ${approval.decidedBy}` : ''}`);
    }
    const decide = (decision) => async () => {
      await apiFetch(`/api/agent/runs/${runId}/approvals/${approval.approvalId}`, {
        method: 'POST', json: { decision, reason: `${decision} in the web UI` },
      });
    };
    return el('div', { className: 'approval', role: 'group', 'aria-label': `Approval for ${approval.tool}` },
      el('p', {}, `The run wants to call ${approval.tool} with ${JSON.stringify(approval.arguments)}`),
      el('button', { type: 'button', onclick: decide('approve') }, `Approve ${approval.tool}`),
      el('button', { type: 'button', onclick: decide('deny') }, `Deny ${approval.tool}`));
  }));
}
