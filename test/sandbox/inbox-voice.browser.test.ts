/**
 * Voice messages in the web inbox, in a real (headless) Chromium: sent by the SFR DMC SMS
 * node's Send Voice Message against the sandbox, each shows as a call with its text and
 * voice, and its Play button reads the text with the browser's speech synthesis (recorded
 * here, as a headless browser has no audio). Saves .tmp/inbox-voice.png at the repository root.
 */
import { SfrDmcApi } from '../../credentials/SfrDmcApi.credentials';
import { runNode } from '../../harness';
import { SfrDmcSms } from '../../nodes/SfrDmc/SfrDmcSms.node';
import { ACCOUNT } from './helpers';
import { screenshotPath, useInboxBrowser } from './inboxBrowser';

jest.setTimeout(30_000);

const ALERT = 'Alerte canicule : pensez à boire de l’eau et à fermer vos volets en journée.';

/**
 * Replaces speechSynthesis.speak with a recorder of what would be spoken, and in which
 * language. Page code, kept as text: the tests are compiled without the DOM's types.
 */
const RECORD_SPEECH = `
	window.spoken = [];
	window.speechSynthesis.speak = (utterance) => window.spoken.push({ text: utterance.text, lang: utterance.lang });
`;

describe('DMC sandbox web inbox: voice messages (browser)', () => {
	const inbox = useInboxBrowser({ deliveryDelayMs: 300, failureDelayMs: 300 });

	it('shows a voice message as a call with its text and voice, and plays it with speech synthesis', async () => {
		const { sandbox } = inbox;
		const { page, consoleErrors } = await inbox.open({ width: 1100, height: 700 }, RECORD_SPEECH);

		const credentials = { ...ACCOUNT, baseUrl: sandbox.baseUrl };
		const voice = await runNode({
			nodeType: new SfrDmcSms(),
			credentialType: new SfrDmcApi(),
			credentials,
			parameters: { operation: 'sendVoice', to: '01 23 45 67 89', message: ALERT, voice: 'claire08s' },
			items: [{}],
		});
		const english = await runNode({
			nodeType: new SfrDmcSms(),
			credentialType: new SfrDmcApi(),
			credentials,
			parameters: { operation: 'sendVoice', to: '01 23 45 67 89', message: 'Heat wave alert', voice: 'laura8k' },
			items: [{}],
		});
		const text = await runNode({
			nodeType: new SfrDmcSms(),
			credentialType: new SfrDmcApi(),
			credentials,
			parameters: { operation: 'send', to: '06 12 34 56 78', message: 'Un SMS' },
			items: [{}],
		});
		for (const result of [voice, english, text]) expect(result.error).toBeUndefined();
		const [callId] = voice.items[0].json.messageIds as string[];
		const [englishId] = english.items[0].json.messageIds as string[];
		const [smsId] = text.items[0].json.messageIds as string[];

		const card = page.locator(`[data-testid="message"][data-message-id="${callId}"]`);
		await page.locator(`[data-testid="message"][data-message-id="${callId}"][data-status="DONE"]`).waitFor();
		await expect(card.getByTestId('call-head').isVisible()).resolves.toBe(true);
		await expect(card.getByTestId('message-voice').textContent()).resolves.toBe('claire08s');
		await expect(card.getByTestId('message-text').textContent()).resolves.toBe(ALERT);
		await expect(card.getByTestId('message-media').textContent()).resolves.toBe('Vocal');
		await expect(card.getByTestId('message-to').textContent()).resolves.toBe('+33123456789');
		// A call has no SMS parts and cannot be answered by SMS.
		await expect(card.getByTestId('message-parts').count()).resolves.toBe(0);
		await expect(card.getByTestId('answer-form').count()).resolves.toBe(0);
		const landline = page.locator('[data-testid="conversation"][data-recipient="+33123456789"]');
		await expect(landline.locator('.phone-count').textContent()).resolves.toBe('2 calls');

		// An SMS next to it keeps the SMS look.
		const smsCard = page.locator(`[data-testid="message"][data-message-id="${smsId}"]`);
		await smsCard.waitFor();
		await expect(smsCard.getByTestId('call-head').isVisible()).resolves.toBe(false);
		await expect(smsCard.getByTestId('answer-form').count()).resolves.toBe(1);

		await card.getByTestId('call-play').click();
		await page.locator(`[data-testid="message"][data-message-id="${englishId}"]`).getByTestId('call-play').click();
		await expect(page.evaluate('window.spoken')).resolves.toEqual([
			{ text: ALERT, lang: 'fr-FR' },
			{ text: 'Heat wave alert', lang: 'en-GB' },
		]);

		await page.screenshot({ path: screenshotPath('inbox-voice.png'), fullPage: true });
		expect(consoleErrors).toEqual([]);
		await page.close();
	});
});
