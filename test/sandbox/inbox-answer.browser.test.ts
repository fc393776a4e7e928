/**
 * The inbox's Reply and STOP buttons, in a real (headless) Chromium: the recipient's answer
 * reaches the sandbox (and so its getResponsesSMS and its Push CRA).
 */
import { chromium, type Browser } from 'playwright-core';

import type { Sandbox } from '../../sandbox';
import { dmcOk, quietSandbox, sms, waitFor } from './helpers';

jest.setTimeout(30_000);

describe('DMC sandbox inbox: answering from the browser', () => {
	let sandbox: Sandbox;
	let browser: Browser;

	beforeAll(async () => {
		sandbox = await quietSandbox();
		browser = await chromium.launch({
			executablePath: '/usr/bin/chromium',
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
		});
	});
	afterAll(async () => {
		await browser.close();
		await sandbox.close();
	});

	it('Reply sends the typed text and STOP sends STOP, both shown as the recipient answers', async () => {
		const [id] = await dmcOk<number[]>(sandbox, 'MessagesUnitairesWS/batchSingleCall', {
			messageUnitaires: [sms('+33612345678', 'Rendez-vous demain 10:00 ?')],
		});
		const page = await browser.newPage();
		page.setDefaultTimeout(10_000);
		await page.goto(`${sandbox.url}/?poll=200`);
		const message = page.locator(`[data-testid="message"][data-message-id="${id}"]`);
		await message.locator('[data-testid="answer-text"]').fill('Oui, merci');
		await message.locator('[data-testid="answer-send"]').click();
		await waitFor(() => (sandbox.replies().length === 1 ? true : undefined));
		expect(sandbox.replies()[0]).toMatchObject({ messageId: id, text: 'Oui, merci', stop: false });
		await page.locator(`[data-testid="message"][data-message-id="${id}"] [data-testid="answer-stop"]`).click();
		await waitFor(() => (sandbox.replies().length === 2 ? true : undefined));
		expect(sandbox.replies()[1]).toMatchObject({ messageId: id, text: 'STOP', stop: true });
		await page.locator('[data-testid="reply"][data-stop="true"]').waitFor();
		await page.close();
	});
});
