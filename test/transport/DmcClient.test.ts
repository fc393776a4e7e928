import { NodeApiError, type IHttpRequestOptions, type INode } from 'n8n-workflow';

import { DmcApiError, DmcClient } from '../../nodes/SfrDmc/transport/DmcClient';

const node: INode = {
	id: 'n',
	name: 'SFR DMC SMS',
	type: 'n8n-nodes-sfr-dmc.sfrDmcSms',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

let service = 0;
let pauses: number[] = [];
beforeEach(() => {
	pauses = [];
});
function clientWith(request: (options: IHttpRequestOptions) => Promise<unknown>, baseUrl = 'https://dmc.test/DmcWS/1.5.8/JsonService') {
	const wait = async (ms: number) => {
		pauses.push(ms);
	};
	return new DmcClient({ node, request, baseUrl, serviceId: `client-test-${++service}`, secrets: ['hunter2+&'], wait });
}

/** What n8n's request helper throws when the socket fails: a NodeApiError caused by the system error. */
function networkFailure(code: string) {
	const cause = Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code });
	return new NodeApiError(node, cause as never);
}

async function failureOf(promise: Promise<unknown>): Promise<DmcApiError> {
	const error = await promise.then(
		() => undefined,
		(reason: unknown) => reason,
	);
	expect(error).toBeInstanceOf(DmcApiError);
	return error as DmcApiError;
}

describe('DmcClient.call', () => {
	it('POSTs a form whose fields are JSON texts, to the base URL without its trailing slash', async () => {
		const seen: IHttpRequestOptions[] = [];
		const client = clientWith(async (options) => {
			seen.push(options);
			return { statusCode: 200, body: '{"success":true,"response":["SFR"]}' };
		}, 'https://dmc.test/DmcWS/1.6.0/JsonService//');
		await expect(client.call('AdminWS/findServiceOadc', { list: [1, 2], text: 'é+' })).resolves.toEqual(['SFR']);
		expect(seen).toHaveLength(1);
		expect(seen[0]).toMatchObject({
			method: 'POST',
			url: 'https://dmc.test/DmcWS/1.6.0/JsonService/AdminWS/findServiceOadc',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: { list: '[1,2]', text: '"é+"' },
			timeout: 30_000,
		});
		expect(seen[0].qs).toBeUndefined();
	});

	it.each([
		['ECONNREFUSED', 'not-sent', /^Could not reach DMC for X\/y: the connection was refused$/],
		['ENOTFOUND', 'not-sent', /^Could not reach DMC for X\/y: the host name is unknown$/],
		['ECONNRESET', 'unknown', /^The call to DMC for X\/y failed: the connection was reset$/],
		['ECONNABORTED', 'unknown', /^The call to DMC for X\/y failed: it timed out$/],
		['ETIMEDOUT', 'unknown', /^The call to DMC for X\/y failed: it timed out$/],
	])('classifies %s as %s', async (code, outcome, message) => {
		const error = await failureOf(clientWith(async () => Promise.reject(networkFailure(code))).call('X/y'));
		expect(error).toMatchObject({ errorCode: code, outcome });
		expect(error.message).toMatch(message);
	});

	it('treats an error without a system code as an unknown outcome', async () => {
		const error = await failureOf(clientWith(async () => Promise.reject(new Error('boom'))).call('X/y'));
		expect(error).toMatchObject({ errorCode: 'NETWORK_ERROR', outcome: 'unknown' });
	});

	it('reads success:false as refused, with DMC code and detail, whatever the HTTP status', async () => {
		const error = await failureOf(
			clientWith(async () => ({
				statusCode: 200,
				body: '{"success":false,"errorCode":"no_space_found","errorDetail":"Espace inconnu","fatal":true}',
			})).call('X/y'),
		);
		expect(error).toMatchObject({ errorCode: 'no_space_found', outcome: 'refused', description: 'Espace inconnu' });
	});

	it('redacts the secrets, raw, URL-encoded and JSON-escaped, from what DMC says', async () => {
		const detail = JSON.stringify({ success: false, errorCode: 'x', errorDetail: `pw hunter2+& or ${encodeURIComponent('hunter2+&')}` });
		const error = await failureOf(clientWith(async () => ({ statusCode: 200, body: detail })).call('X/y'));
		expect(error.description).toBe('pw *** or ***');
	});

	it('refuses a base URL that is not http(s)', () => {
		expect(() => clientWith(async () => ({}), 'ftp://dmc.test/')).toThrow(/is not an http\(s\) URL/);
		expect(() => clientWith(async () => ({}), 'not a url')).toThrow(/is not an http\(s\) URL/);
	});

	it('tries again, after pauses, a call that never left: a refused connection', async () => {
		let attempts = 0;
		const client = clientWith(async () => {
			attempts++;
			if (attempts < 3) throw networkFailure('ECONNREFUSED');
			return { statusCode: 200, body: '{"success":true,"response":[7,8]}' };
		});
		await expect(
			client.batchSingleCall([
				{ media: 'SMS', textMsg: 'a', to: '+33612345678' },
				{ media: 'SMS', textMsg: 'a', to: '+33612345679' },
			]),
		).resolves.toEqual(['7', '8']);
		expect(attempts).toBe(3);
		expect(pauses).toEqual([250, 1000]);
	});

	it('gives up after the last pause, saying nothing was sent', async () => {
		let attempts = 0;
		const error = await failureOf(
			clientWith(async () => {
				attempts++;
				throw networkFailure('ENOTFOUND');
			}).call('X/y'),
		);
		expect(attempts).toBe(3);
		expect(error).toMatchObject({ outcome: 'not-sent', errorCode: 'ENOTFOUND' });
	});

	it.each(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE'])('never tries again after %s: DMC may have taken the call', async (code) => {
		let attempts = 0;
		const error = await failureOf(
			clientWith(async () => {
				attempts++;
				throw networkFailure(code);
			}).call('X/y'),
		);
		expect(attempts).toBe(1);
		expect(pauses).toEqual([]);
		expect(error.outcome).toBe('unknown');
	});

	it('never tries again after an answer, even a gateway error', async () => {
		let attempts = 0;
		await failureOf(
			clientWith(async () => {
				attempts++;
				return { statusCode: 503, body: '<html>busy</html>' };
			}).call('X/y'),
		);
		expect(attempts).toBe(1);
	});
});
