import { sleep } from 'n8n-workflow';

import { connectDmc } from '../../nodes/SfrDmc/transport/connectDmc';
import { callsPerSecondPerProcess, limiterForService, type RollingWindowLimiter } from '../../nodes/SfrDmc/transport/rateLimiter';

describe('callsPerSecondPerProcess', () => {
	it.each([
		[5, 1, 5],
		[5, 2, 2],
		[5, 3, 1],
		[10, 3, 3],
		[20, 4, 5],
		[2, 3, 1],
		[5, 12, 1],
	])('gives each of the processes ⌊%i ÷ %i⌋, at least 1: %i', (max, processes, share) => {
		expect(callsPerSecondPerProcess(max, processes)).toBe(share);
	});

	it('counts one process when the credential predates the field', () => {
		expect(callsPerSecondPerProcess(5)).toBe(5);
	});

	it.each([
		[5, 0, 'n8n Processes Sharing This Service must be a whole number of at least 1, not 0'],
		[5, 1.5, 'n8n Processes Sharing This Service must be a whole number of at least 1, not 1.5'],
		[0, 1, 'Max Calls per Second must be a whole number of at least 1, not 0'],
	])('refuses max %p with %p processes, naming the field and the value', (max, processes, message) => {
		expect(() => callsPerSecondPerProcess(max, processes)).toThrow(message);
	});
});

describe('connectDmc', () => {
	/** How many acquires resolve at once on a limiter nobody releases. */
	async function slotsAtOnce(limiter: RollingWindowLimiter, tries: number): Promise<number> {
		let granted = 0;
		for (let n = 0; n < tries; n++) void limiter.acquire().then(() => granted++);
		for (let n = 0; n < 10; n++) await sleep(0);
		return granted;
	}

	function context(credentials: Record<string, unknown>) {
		return {
			getCredentials: async () => ({ serviceId: 'svc', servicePassword: 'secret', spaceId: 'space', ...credentials }) as never,
			getNode: () => ({ id: 'n', name: 'SFR DMC', type: 'sfrDmcSms', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} }),
			helpers: { httpRequestWithAuthentication: async () => ({}) },
		};
	}

	it.each([
		['main and 2 workers at 5: 1 call at a time', { maxCallsPerSecond: 5, processes: 3 }, 1],
		['2 processes at 5: 2', { maxCallsPerSecond: 5, processes: 2 }, 2],
		['a credential saved before the field: the whole cap', { maxCallsPerSecond: 5 }, 5],
	])('gives the service limiter the per-process share (%s)', async (_, credentials, share) => {
		const baseUrl = `https://dmc-share-${share}-${Object.keys(credentials).length}.example/DmcWS/1.5.8/JsonService`;
		await connectDmc(context({ ...credentials, baseUrl }));
		const limiter = limiterForService(new URL(baseUrl).host, 'svc');
		expect(await slotsAtOnce(limiter, 8)).toBe(share);
	});
});
