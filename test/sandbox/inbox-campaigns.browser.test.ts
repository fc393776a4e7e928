/**
 * Campaigns in the web inbox, in a real (headless) Chromium: each campaign shows with its
 * status, its progress and its contacts' messages, replies and STOPs included, and a big one
 * lists its first contacts only. Saves .tmp/inbox-campaigns.png at the repository root.
 */
import { campaignWith, REPLIES, residentNumber, SWITCHED_OFF } from '../node/campaignSetup';
import { screenshotPath, useInboxBrowser } from './inboxBrowser';

jest.setTimeout(30_000);

describe('DMC sandbox web inbox: campaigns (browser)', () => {
	const inbox = useInboxBrowser({ broadcastLoadingMs: 50 });

	it("shows each campaign with its status, progress and contacts' messages", async () => {
		const { sandbox } = inbox;
		const { page, consoleErrors } = await inbox.open({ width: 1200, height: 900 });
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

		await page.screenshot({ path: screenshotPath('inbox-campaigns.png'), fullPage: true });
		expect(consoleErrors).toEqual([]);
		await page.close();
	});
});
