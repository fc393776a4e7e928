/**
 * The web inbox in a real (headless) Chromium: messages sent over the DMC API
 * show up with recipient, sender, text and status, and update live.
 * Saves a screenshot to .tmp/inbox.png at the repository root.
 */
import { chromium, type Browser } from 'playwright-core';
import type { Sandbox } from '../../sandbox';
import { ACCOUNT, quietSandbox } from './helpers';

jest.setTimeout(30_000);

const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** .tmp/inbox.png next to package.json, whatever the working directory. */
function screenshotPath(): string {
	const testPath = expect.getState().testPath ?? '';
	return testPath.replace(/test[\\/]sandbox[\\/]inbox\.browser\.test\.ts$/, '.tmp/inbox.png');
}

describe('DMC sandbox web inbox (browser)', () => {
	let sandbox: Sandbox;
	let browser: Browser;

	beforeAll(async () => {
		sandbox = await quietSandbox({ deliveryDelayMs: 600, failureDelayMs: 600, replyDelayMs: 400 });
		browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
	});
	afterAll(async () => {
		await browser?.close();
		await sandbox?.close();
	});

	async function sendBatch(messages: Array<Record<string, unknown>>): Promise<number[]> {
		const body = new URLSearchParams({
			authenticate: JSON.stringify(ACCOUNT),
			messageUnitaires: JSON.stringify(messages),
		});
		const response = await fetch(`${sandbox.baseUrl}/MessagesUnitairesWS/batchSingleCall`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: body.toString(),
		});
		const envelope = (await response.json()) as { success: boolean; response: number[] };
		expect(envelope.success).toBe(true);
		return envelope.response;
	}

	it('shows every SMS with recipient, sender, text and live status, and the replies', async () => {
		const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
		const consoleErrors: string[] = [];
		page.on('console', (message) => {
			if (message.type() === 'error') consoleErrors.push(message.text());
		});
		await page.goto(`${sandbox.url}/?poll=200`);
		await page.getByTestId('live-text').filter({ hasText: 'Live' }).waitFor();
		await expect(page.getByTestId('empty').isVisible()).resolves.toBe(true);

		const [reminder, meeting, stop, blacklisted] = await sendBatch([
			{ media: 'SMS', textMsg: 'Rappel : collecte des encombrants demain matin.', to: '+33612345678', from: 'MAIRIE' },
			{
				media: 'SMSLong',
				textMsg:
					'Conseil municipal jeudi 18h30, salle des fêtes. Ordre du jour : budget 2025, travaux de voirie, ' +
					'cantine scolaire et questions diverses. Merci de confirmer votre présence.',
				to: '0612345678',
				from: 'MAIRIE',
				refExt: 'cm-2025-03',
			},
			{ media: 'SMS', textMsg: 'Alerte météo : vigilance orange orages ce soir.', to: '+33639980004', from: 'SFR' },
			{ media: 'SMS', textMsg: 'Votre rendez-vous est confirmé.', to: '+33639980001' },
		]);

		const message = (id: number) => page.locator(`[data-testid="message"][data-message-id="${id}"]`);
		await message(blacklisted).waitFor();
		await expect(page.getByTestId('message').count()).resolves.toBe(4);

		const first = message(reminder);
		await expect(first.getByTestId('message-to').textContent()).resolves.toBe('+33612345678');
		await expect(first.getByTestId('message-from').textContent()).resolves.toBe('MAIRIE');
		await expect(first.getByTestId('message-text').textContent()).resolves.toBe(
			'Rappel : collecte des encombrants demain matin.',
		);
		await expect(first.getByTestId('message-media').textContent()).resolves.toBe('SMS');
		await expect(first.getByTestId('message-parts').textContent()).resolves.toBe('1');
		await expect(message(meeting).getByTestId('message-parts').textContent()).resolves.toBe('2');
		await expect(message(blacklisted).getByTestId('message-from').textContent()).resolves.toBe('default sender');

		// Same recipient written two ways: one phone, two messages.
		const phone = page.locator('[data-testid="conversation"][data-recipient="+33612345678"]');
		await expect(phone.getByTestId('message').count()).resolves.toBe(2);

		// Live updates: RUNNING -> DONE / FAILED without reloading.
		await page.locator(`[data-testid="message"][data-message-id="${reminder}"][data-status="DONE"]`).waitFor();
		await expect(first.getByTestId('message-result').textContent()).resolves.toBe('CRA_SMS_RECEIVED');
		await page.locator(`[data-testid="message"][data-message-id="${blacklisted}"][data-status="FAILED"]`).waitFor();
		await expect(message(blacklisted).getByTestId('message-result').textContent()).resolves.toBe('CRA_SMS_BLACKLIST');

		// The STOP reply appears in the phone thread and in the replies list.
		const stopRow = page.locator(`[data-testid="reply"][data-message-id="${stop}"]`);
		await stopRow.waitFor();
		await expect(stopRow.getAttribute('data-stop')).resolves.toBe('true');
		await expect(stopRow.getByTestId('reply-text').textContent()).resolves.toBe('STOP');
		await expect(stopRow.getByTestId('reply-from').textContent()).resolves.toBe('+33639980004');
		await page.locator(`[data-testid="reply-bubble"][data-message-id="${stop}"]`).waitFor();

		await expect(page.getByTestId('count-messages').textContent()).resolves.toBe('4');
		await page.screenshot({ path: screenshotPath(), fullPage: true });
		expect(consoleErrors).toEqual([]);
		await page.close();
	});
});
