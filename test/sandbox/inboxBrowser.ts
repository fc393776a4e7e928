/**
 * What the web inbox's browser suites share: one sandbox and one headless Chromium a suite,
 * pages opened on the live inbox with their console errors collected, and screenshots in
 * .tmp/ at the repository root.
 */
import { chromium, type Browser, type Page } from 'playwright-core';

import type { Sandbox, SandboxOptions } from '../../sandbox';
import { quietSandbox } from './helpers';

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

export interface InboxBrowser {
	readonly sandbox: Sandbox;
	/** A page on the inbox, once it says Live; `initScript` runs in the page before the inbox's own code. */
	open(viewport: { width: number; height: number }, initScript?: string): Promise<{ page: Page; consoleErrors: string[] }>;
}

/** Registers the suite's hooks: the sandbox (with these options) and Chromium started once, closed at the end. */
export function useInboxBrowser(options: SandboxOptions = {}): InboxBrowser {
	let sandbox: Sandbox | undefined;
	let browser: Browser | undefined;
	beforeAll(async () => {
		sandbox = await quietSandbox(options);
		browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
	});
	afterAll(async () => {
		await browser?.close();
		await sandbox?.close();
	});
	const started = () => {
		if (!sandbox || !browser) throw new Error('The inbox browser suite is used before its beforeAll hook ran');
		return { sandbox, browser };
	};
	return {
		get sandbox() {
			return started().sandbox;
		},
		async open(viewport, initScript) {
			const { sandbox: running, browser: chrome } = started();
			const page = await chrome.newPage({ viewport });
			const consoleErrors: string[] = [];
			page.on('console', (message) => {
				if (message.type() === 'error') consoleErrors.push(message.text());
			});
			if (initScript) await page.addInitScript(initScript);
			await page.goto(`${running.url}/?poll=200`);
			await page.getByTestId('live-text').filter({ hasText: 'Live' }).waitFor();
			return { page, consoleErrors };
		},
	};
}

/** Where the running suite's screenshot goes: `.tmp/<name>` next to package.json, whatever the working directory. */
export function screenshotPath(name: string): string {
	const testPath = expect.getState().testPath ?? '';
	return testPath.replace(/test[\\/]sandbox[\\/][^\\/]+$/, `.tmp/${name}`);
}
