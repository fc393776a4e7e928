/**
 * Campaigns in the web inbox, in a real (headless) Chromium: each campaign shows with its
 * status, its progress and its contacts' messages, replies and STOPs included, and a big one
 * lists its first contacts only. Saves .tmp/inbox-campaigns.png at the repository root.
 */
import { chromium, type Browser } from 'playwright-core';

import type { Sandbox } from '../../sandbox';
import { campaignWith, REPLIES, residentNumber, SWITCHED_OFF } from '../node/campaignSetup';
import { quietSandbox } from './helpers';

jest.setTimeout(30_000);

const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-sync',
];

function screenshotPath(): string {
	const testPath = expect.getState().testPath ?? '';
	return testPath.replace(/test[\\/]sandbox[\\/]inbox-campaigns\.browser\.test\.ts$/, '.tmp/inbox-campaigns.png');
}

describe('DMC sandbox web inbox: campaigns (browser)', () => {
	let sandbox: Sandbox;
	let browser: Browser;

	beforeAll(async () => {
		sandbox = await quietSandbox({ broadcastLoadingMs: 50 });
		browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
	});
	afterAll(async () => {
		await browser?.close();
		await sandbox?.close();
	});

	it("shows each campaign with its status, progress and contacts' messages", async () => {
		const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
		const consoleErrors: string[] = [];
		page.on('console', (message) => {
			if (message.type() === 'error') consoleErrors.push(message.text());
		});
		await page.goto(`${sandbox.url}/?poll=200`);
		await page.getByTestId('live-text').filter({ hasText: 'Live' }).waitFor();
		await expect(page.getByTestId('campaigns-section').isVisible()).resolves.toBe(false);

		const small = await campaignWith(sandbox, [residentNumber(1), REPLIES, SWITCHED_OFF], {
			name: 'Coupure eau quartier nord',
			text: 'Coupure d eau demain 8h-12h',
		});
		const big = await campaignWith(
			sandbox,
			Array.from({ length: 30 }, (_, n) => residentNumber(100 + n)),
			{ name: 'Brouillon', activate: false },
		);

		const card = page.locator(`[data-testid="campaign"][data-campaign-id="${small}"]`);
		await card.getByTestId('campaign-progress').filter({ hasText: '2 / 3 ended' }).waitFor();
		await expect(card.getByTestId('campaign-name').textContent()).resolves.toBe('Coupure eau quartier nord');
		await expect(card.getByTestId('campaign-status').textContent()).resolves.toBe('Appel/Envoi en cours');
		await expect(card.getByTestId('campaign-counts').textContent()).resolves.toBe('2 delivered · 0 failed · 1 running');
		await expect(card.getByTestId('campaign-text').textContent()).resolves.toBe('Coupure d eau demain 8h-12h');
		const replyRow = card.locator('[data-testid="campaign-contact"]').filter({ hasText: REPLIES });
		await replyRow.filter({ hasText: 'Thanks, well received' }).waitFor();
		await expect(replyRow.locator('td').allTextContents()).resolves.toEqual([
			REPLIES,
			'ref-1',
			'DONE',
			'CRA_SMS_RECEIVED',
			'Thanks, well received',
		]);

		const draft = page.locator(`[data-testid="campaign"][data-campaign-id="${big}"]`);
		await expect(draft.getByTestId('campaign-status').textContent()).resolves.toBe('Edition');
		await expect(draft.locator('[data-testid="campaign-contact"]').count()).resolves.toBe(20);
		await expect(draft.getByTestId('campaign-more').textContent()).resolves.toBe('and 10 more contacts');

		await page.screenshot({ path: screenshotPath(), fullPage: true });
		expect(consoleErrors).toEqual([]);
		await page.close();
	});
});
