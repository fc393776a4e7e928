/** DmcClient facing DMC's once-a-minute exception: asked again when the gate opens, an error once patience runs out. */
import type { IHttpRequestOptions, INode } from 'n8n-workflow';

import { DmcApiError, DmcClient } from '../../nodes/SfrDmc/transport/DmcClient';
import '../supervisionMinute';

const node: INode = { id: 'n', name: 'SFR DMC', type: 'n8n-nodes-sfr-dmc.sfrDmcSms', typeVersion: 1, position: [0, 0], parameters: {} };
const TOO_FREQUENT = {
	success: false,
	errorCode: 'supervision_too_frequent',
	errorDetail: 'Appels trop fréquents : au plus un appel par minute',
};
let service = 0;

function dmc(answers: unknown[], supervisionPatienceMs?: number) {
	const calls: string[] = [];
	const client = new DmcClient({
		node,
		baseUrl: 'https://dmc.test/DmcWS/1.5.8/JsonService',
		serviceId: `refusal-test-${++service}`,
		maxCallsPerSecond: 1000,
		supervisionPatienceMs,
		secrets: ['s3cret-pass'],
		request: async (options: IHttpRequestOptions) => {
			calls.push(options.url!.split('/').slice(-2).join('/'));
			return { statusCode: 200, body: JSON.stringify(answers[Math.min(calls.length - 1, answers.length - 1)]) };
		},
	});
	return { client, calls };
}

it('asks a refused look-up again when the gate opens and returns its records: the refusal is neither data nor doubt', async () => {
	const { client, calls } = dmc([TOO_FREQUENT, { success: true, response: [{ contactId: 7, status: 'DONE' }] }]);
	expect(await client.findCraByIds(['7'], [])).toEqual([{ contactId: 7, status: 'DONE' }]);
	expect(calls).toEqual(['SupervisionWS/findCraByIds', 'SupervisionWS/findCraByIds']);
});

it('says how long it waited once its patience runs out, and keeps DMC’s own words', async () => {
	const { client, calls } = dmc([TOO_FREQUENT], 1);
	const error = await client.getResponsesSMS(false, new Date(0), new Date(1000)).catch((caught: unknown) => caught);
	expect(error).toBeInstanceOf(DmcApiError);
	expect((error as DmcApiError).message).toMatch(/^DMC still refused SupervisionWS\/getResponsesSMS as too frequent after \d+ s/);
	expect((error as DmcApiError).description).toContain('Appels trop fréquents');
	expect((error as DmcApiError).description).toContain('n8n Processes Sharing This Service');
	expect(calls).toEqual(['SupervisionWS/getResponsesSMS']);
});

it('treats any other SupervisionWS refusal as the error it is, at once', async () => {
	const { client, calls } = dmc([{ success: false, errorCode: 'bad_param', errorDetail: 'Paramètre invalide' }]);
	await expect(client.findCraByIds(['7'], [])).rejects.toThrow(DmcApiError);
	expect(calls).toHaveLength(1);
});
