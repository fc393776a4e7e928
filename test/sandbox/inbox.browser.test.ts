/**
 * The web inbox in a real (headless) Chromium, fed by the SFR DMC SMS node itself: the
 * example workflow (examples/citizen-request-sms.json) and a long message are executed by
 * n8n-core's WorkflowExecute (harness/) against the sandbox, then the inbox must
 * show every SMS the node sent with its E.164 recipient, sender, text, parts and live status.
 * A second test sends, also through the node, to the sandbox's magic numbers: a delivery
 * failure and a STOP reply show up live.
 * Saves a screenshot to .tmp/inbox.png at the repository root.
 */
import { SfrDmcApi } from '../../credentials/SfrDmcApi.credentials';
import example from '../../examples/citizen-request-sms.json';
import { runNode, runWorkflow } from '../../harness';
import { SfrDmcSms } from '../../nodes/SfrDmc/SfrDmcSms.node';
import { ACCOUNT, dmcOk, sms } from './helpers';
import { screenshotPath, useInboxBrowser } from './inboxBrowser';

jest.setTimeout(30_000);

const HOUSEHOLD_TEXT = 'Bonjour, votre demande n°2026-1142 est enregistrée. La mairie vous recontactera sous 48 h.';
const AGENT_TEXT = '3 SMS sent for REQ-2026-1142: +33612345678, +590690001122, +33699999903';
const LONG_TEXT =
	'Conseil municipal jeudi 18h30, salle des fêtes. Ordre du jour : budget 2026, travaux de voirie, ' +
	'cantine scolaire et questions diverses. Merci de confirmer votre présence.';

describe('DMC sandbox web inbox (browser)', () => {
	const inbox = useInboxBrowser({ deliveryDelayMs: 600, failureDelayMs: 600, replyDelayMs: 400 });
	beforeEach(() => inbox.sandbox.reset());
	const openInbox = async () => await inbox.open({ width: 1280, height: 860 });

	const credentials = () => ({ ...ACCOUNT, baseUrl: inbox.sandbox.baseUrl });

	it('shows every SMS the node sent: E.164 recipient, sender, text, parts and live status', async () => {
		const { page, consoleErrors } = await openInbox();
		await expect(page.getByTestId('empty').isVisible()).resolves.toBe(true);

		// Through n8n's engine: the example workflow (Manual Trigger -> SMS -> SMS)...
		const workflow = await runWorkflow(example, {
			nodeTypes: { 'n8n-nodes-sfr-dmc.sfrDmcSms': new SfrDmcSms() },
			credentialTypes: [new SfrDmcApi()],
			credentials: { sfrDmcApi: credentials() },
		});
		expect(workflow.errors).toEqual([]);
		// ...and one node run with a two-part message to a number written with dots.
		const long = await runNode({
			nodeType: new SfrDmcSms(),
			credentialType: new SfrDmcApi(),
			credentials: credentials(),
			parameters: { operation: 'send', to: '={{ $json.phone }}', message: '={{ $json.text }}', sender: 'SFR' },
			items: [{ phone: '07.81.23.45.67', text: LONG_TEXT }],
		});
		expect(long.error).toBeUndefined();

		const household = workflow.items["Confirm to the citizen's household"][0].json.recipients as Array<{
			to: string;
			messageId: string;
		}>;
		const [agentId] = workflow.items['Tell the agent'][0].json.messageIds as string[];
		const [longId] = long.items[0].json.messageIds as string[];
		const sent = [...household.map((recipient) => recipient.messageId), agentId, longId];
		expect(sent).toHaveLength(5);

		const message = (id: string) => page.locator(`[data-testid="message"][data-message-id="${id}"]`);
		await message(longId).waitFor();
		await expect(page.getByTestId('message').count()).resolves.toBe(5);

		// Each recipient as the node sent it: E.164, the sender and the text.
		for (const recipient of household) {
			const card = message(recipient.messageId);
			await expect(card.getByTestId('message-to').textContent()).resolves.toBe(recipient.to);
			await expect(card.getByTestId('message-from').textContent()).resolves.toBe('MAIRIE');
			await expect(card.getByTestId('message-text').textContent()).resolves.toBe(HOUSEHOLD_TEXT);
			await expect(card.getByTestId('message-media').textContent()).resolves.toBe('SMS');
			await expect(card.getByTestId('message-ref').textContent()).resolves.toContain('REQ-2026-1142');
		}
		expect(household.map((recipient) => recipient.to)).toEqual(['+33612345678', '+590690001122', '+33699999903']);
		for (const to of ['+33612345678', '+590690001122', '+33699999903', '+33781234567']) {
			await page.locator(`[data-testid="conversation"][data-recipient="${to}"]`).waitFor();
		}

		// The agent's SMS, built by an n8n expression from the first node's output.
		await expect(message(agentId).getByTestId('message-to').textContent()).resolves.toBe('+33781234567');
		await expect(message(agentId).getByTestId('message-from').textContent()).resolves.toBe('default sender');
		await expect(message(agentId).getByTestId('message-text').textContent()).resolves.toBe(AGENT_TEXT);

		// The long message: same phone as the agent (07.81.23.45.67), two parts, SMSLong.
		await expect(message(longId).getByTestId('message-to').textContent()).resolves.toBe('+33781234567');
		await expect(message(longId).getByTestId('message-from').textContent()).resolves.toBe('SFR');
		await expect(message(longId).getByTestId('message-text').textContent()).resolves.toBe(LONG_TEXT);
		await expect(message(longId).getByTestId('message-media').textContent()).resolves.toBe('SMSLong');
		await expect(message(longId).getByTestId('message-parts').textContent()).resolves.toBe('2');
		const agentPhone = page.locator('[data-testid="conversation"][data-recipient="+33781234567"]');
		await expect(agentPhone.getByTestId('message').count()).resolves.toBe(2);

		// Live updates: RUNNING -> DONE without reloading.
		for (const id of sent) {
			await page.locator(`[data-testid="message"][data-message-id="${id}"][data-status="DONE"]`).waitFor();
			await expect(message(id).getByTestId('message-result').textContent()).resolves.toBe('CRA_SMS_RECEIVED');
		}
		await expect(page.getByTestId('count-messages').textContent()).resolves.toBe('5');
		await expect(page.getByTestId('count-done').textContent()).resolves.toBe('5');
		await expect(page.getByTestId('stat-violations').textContent()).resolves.toBe('0');
		// +33 6 99 99 99 03 is a sandbox magic number that answers.
		const replyId = household[2].messageId;
		await page.locator(`[data-testid="reply-bubble"][data-message-id="${replyId}"]`).waitFor();
		const reply = page.locator(`[data-testid="reply"][data-message-id="${replyId}"]`);
		await expect(reply.getByTestId('reply-text').textContent()).resolves.toBe('Thanks, well received');
		await expect(reply.getAttribute('data-stop')).resolves.toBe('false');

		await page.screenshot({ path: screenshotPath('inbox.png'), fullPage: true });
		expect(consoleErrors).toEqual([]);
		await page.close();
	});

	it('shows the delivery failures, replies and STOPs of what the node sent (sandbox magic numbers)', async () => {
		const { page, consoleErrors } = await openInbox();
		const result = await runNode({
			nodeType: new SfrDmcSms(),
			credentialType: new SfrDmcApi(),
			credentials: credentials(),
			parameters: { operation: 'send', to: '={{ $json.to }}', message: '={{ $json.text }}', sender: 'SFR' },
			// 06 99 99 99 04 answers STOP, 06 99 99 99 01 is blacklisted (sandbox/README.md).
			items: [{ to: '06 99 99 99 04; 06 99 99 99 01', text: 'Alerte météo : vigilance orange orages ce soir.' }],
		});
		expect(result.error).toBeUndefined();
		const [stop, blacklisted] = result.items[0].json.messageIds as string[];

		await page.locator(`[data-testid="message"][data-message-id="${blacklisted}"][data-status="FAILED"]`).waitFor();
		const failed = page.locator(`[data-testid="message"][data-message-id="${blacklisted}"]`);
		await expect(failed.getByTestId('message-to').textContent()).resolves.toBe('+33699999901');
		await expect(failed.getByTestId('message-result').textContent()).resolves.toBe('CRA_SMS_BLACKLIST');
		await expect(failed.getByTestId('message-from').textContent()).resolves.toBe('SFR');

		const stopRow = page.locator(`[data-testid="reply"][data-message-id="${stop}"]`);
		await stopRow.waitFor();
		await expect(stopRow.getAttribute('data-stop')).resolves.toBe('true');
		await expect(stopRow.getByTestId('reply-text').textContent()).resolves.toBe('STOP');
		await expect(stopRow.getByTestId('reply-from').textContent()).resolves.toBe('+33699999904');
		await page.locator(`[data-testid="reply-bubble"][data-message-id="${stop}"]`).waitFor();
		await expect(page.getByTestId('count-failed').textContent()).resolves.toBe('1');
		expect(consoleErrors).toEqual([]);
		await page.close();
	});

	it('shows a message stopped by stopSingleCall as cancelled', async () => {
		const { page, consoleErrors } = await openInbox();
		// +33 6 99 99 99 06 is a switched-off phone: its message stays RUNNING until stopped.
		const [off] = await dmcOk<number[]>(inbox.sandbox, 'MessagesUnitairesWS/batchSingleCall', {
			messageUnitaires: [sms('+33699999906', 'Alerte envoyée par erreur')],
		});
		const card = page.locator(`[data-testid="message"][data-message-id="${off}"]`);
		await page.locator(`[data-testid="message"][data-message-id="${off}"][data-status="RUNNING"]`).waitFor();
		await expect(dmcOk<number>(inbox.sandbox, 'MessagesUnitairesWS/stopSingleCall', { messageIds: [off] })).resolves.toBe(1);
		await page.locator(`[data-testid="message"][data-message-id="${off}"][data-cancelled="true"]`).waitFor();
		await expect(card.getByTestId('message-status').textContent()).resolves.toBe('Cancelled · FAILED');
		await expect(card.getByTestId('message-result').textContent()).resolves.toBe('CRA_SMS_STOPPED');
		await expect(page.getByTestId('count-cancelled').textContent()).resolves.toBe('1');
		await expect(page.getByTestId('count-failed').textContent()).resolves.toBe('0');
		expect(consoleErrors).toEqual([]);
		await page.close();
	});
});
