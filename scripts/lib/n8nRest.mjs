// n8n's internal REST API (the one its editor uses), as a signed-in user: the session cookie
// n8n sets on owner set-up or sign-in is sent with every later call.
import { randomBytes } from 'node:crypto';
import { SetupError } from './processes.mjs';

/** An owner account n8n accepts (8+ characters, a digit and a capital). */
export function newOwner(firstName = 'Test') {
	return { email: 'owner@example.com', firstName, lastName: 'Owner', password: `Owner-${randomBytes(6).toString('hex')}-9Z` };
}

/**
 * Calls `/rest<path>` on the n8n at `url`; resolves the answer's `data`. `{ raw: true }`
 * resolves { status, body } instead of failing on an HTTP error.
 */
export function n8nRest(url) {
	let cookie = '';
	const call = async (method, path, body) => {
		const response = await fetch(`${url}/rest${path}`, {
			method,
			headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new SetupError(`${method} /rest${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
		const setCookie = response.headers.get('set-cookie');
		if (setCookie) cookie = setCookie.split(';')[0];
		return text ? JSON.parse(text).data : undefined;
	};
	return {
		call,
		setUpOwner: (account) => call('POST', '/owner/setup', account),
		signIn: (account) => call('POST', '/login', { emailOrLdapLoginId: account.email, password: account.password }),
		createCredential: (credential) => call('POST', '/credentials', credential),
		/** Creates and activates a workflow; resolves it as n8n stored it. */
		async createActiveWorkflow(workflow) {
			const created = await call('POST', '/workflows', workflow);
			await call('POST', `/workflows/${created.id}/activate`, { versionId: created.versionId });
			return created;
		},
		/**
		 * Retries a failed execution as the executions list does, with the workflow as that
		 * execution ran it; resolves once the retry has ended, to the new execution.
		 */
		retryExecution: (id) => call('POST', `/executions/${id}/retry`, { loadWorkflow: false }),
		/** Deactivates, archives and deletes a workflow (n8n deletes only archived ones). */
		async deleteWorkflow(workflowId) {
			await call('POST', `/workflows/${workflowId}/deactivate`, {});
			await call('POST', `/workflows/${workflowId}/archive`, {});
			await call('DELETE', `/workflows/${workflowId}`);
		},
		/** The executions n8n saved for a workflow, newest first. */
		async executionsOf(workflowId) {
			const filter = encodeURIComponent(JSON.stringify({ workflowId }));
			const { results } = await call('GET', `/executions?filter=${filter}&limit=100`);
			return results;
		},
	};
}
