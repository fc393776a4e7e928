/**
 * Parts from real answers: Get Status and the polling trigger read `parts` from
 * `callDetailCode` in the vendor guide's form (`CRA_PART{2}`) and the plain one
 * (`CRA_PART2`), and from the localised `callDetail` alone, as a real 1.5.6 answer has it.
 */
import { runNode } from '../../harness';
import { MINUTE, useTriggerSuite } from '../trigger/helpers';
import { smsNodeOn } from './sandboxNode';

const suite = useTriggerSuite();
const TWO_PARTS =
	'Conseil municipal jeudi 18h30, salle des fêtes. Ordre du jour : budget, travaux de voirie, cantine scolaire et questions diverses. Merci de confirmer votre présence.';

describe.each(['braces', 'plain', 'absent'] as const)('callDetailCode %s', (form) => {
	it('Get Status and Delivery Status Changed report 2 parts for a two-part message', async () => {
		suite.sandbox.configure({ craPartsCode: form });
		const trigger = await suite.trigger({ event: 'deliveryStatusChanged' });
		await trigger.activate();
		const [id] = await suite.send(['0612345678'], TWO_PARTS);
		expect(suite.sandbox.messages()[0].parts).toBe(2);
		suite.clock.advance(MINUTE);
		const polled = await trigger.poll();
		expect(polled.items.map((item) => [item.json.messageId, item.json.parts])).toEqual([[id, 2]]);
		await trigger.deactivate();

		const status = await runNode({
			...smsNodeOn(suite.sandbox),
			parameters: { operation: 'getStatus', messageIds: id },
			items: [{}],
		});
		expect(status.items.map((item) => item.json.parts)).toEqual([2]);
	});
});
