// The package as a user meets it: the real n8n editor in Chromium. Sign in, find the SMS
// node in the node search, create the SFR DMC credential (its test must pass), open the
// Sender list (the sandbox's senders), and execute Send (the sandbox must store the SMS).
// Each step leaves a screenshot in .tmp/editor/ (CI keeps them as artifacts). Elements are
// found by n8n's `data-test-id` attributes.
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, selectors } from 'playwright-core';
import { ROOT } from '../lib/paths.mjs';
import { newOwner, n8nRest } from '../lib/n8nRest.mjs';
import { onCleanup, sleep, waitForLine } from '../lib/processes.mjs';
import { ACCOUNT, log, MINUTE, redact } from './context.mjs';

export const SCREENSHOT_DIR = join(ROOT, '.tmp', 'editor');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
	'--headless=new',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
];
const STEP_TIMEOUT_MS = 30_000;
const RECIPIENT = { written: '06 12 34 56 78', e164: '+33612345678' };
const SENDER = 'MAIRIE';

/** Runs the steps in order; each ends with a screenshot in `dir`, the first failure stops the test. */
export function stepper(page, dir) {
	let count = 0;
	const failures = [];
	const shot = (name) => page.screenshot({ path: join(dir, `${String(count).padStart(2, '0')}-${name}.png`) });
	return {
		failures,
		shot,
		async step(name, action) {
			if (failures.length > 0) return;
			count += 1;
			const file = join(dir, `${String(count).padStart(2, '0')}-${name}.png`);
			const t0 = Date.now();
			try {
				const said = await action();
				log(`editor: ${name}: ok (${((Date.now() - t0) / 1000).toFixed(1)} s)${said ? `: ${said}` : ''}`);
			} catch (error) {
				failures.push(`editor step "${name}": ${redact(error.message.split('\n')[0])}`);
			}
			await page.screenshot({ path: file.replace(/\.png$/, failures.length ? '-FAILED.png' : '.png') }).catch(() => undefined);
		},
	};
}

/** The item of the node search that is the SFR DMC node (n8n lists its trigger with it). */
function smsNodeItem(page) {
	return page
		.getByTestId('node-creator')
		.getByTestId('item-iterator-item')
		.filter({ hasText: 'SFR DMC' })
		.filter({ hasNotText: /trigger/i })
		.first();
}

/** Opens the credential modal from the node's credential field, unless n8n opened it already. */
async function openNewCredential(page) {
	const modal = page.getByTestId('editCredential-modal');
	const select = page.getByTestId('node-credentials-select');
	await Promise.race([modal.waitFor({ timeout: STEP_TIMEOUT_MS }), select.waitFor({ timeout: STEP_TIMEOUT_MS })]).catch(() => undefined);
	if (await modal.isVisible()) return modal;
	await select.click();
	await page.getByTestId('node-credentials-select-item-new').first().click();
	await modal.waitFor();
	return modal;
}

async function fillParameter(scope, name, value) {
	const input = scope.getByTestId(`parameter-input-${name}`).locator('input, textarea').first();
	await input.fill(value);
}

/** Polls the sandbox until a message with this text arrived. */
async function storedMessage(sandbox, text) {
	for (const deadline = Date.now() + STEP_TIMEOUT_MS; Date.now() < deadline; await sleep(250)) {
		const found = (await sandbox.get('/_sandbox/messages')).find((message) => message.text === text);
		if (found) return found;
	}
	throw new Error(`the sandbox never received the SMS "${text}"`);
}

/**
 * Starts `n8n start` (the editor and the production webhooks) and creates its owner over
 * REST; resolves { url, account, rest } with a REST session signed in as that owner.
 */
export async function startEditorServer(n8n, { filesDir }) {
	const editor = await n8n.startEditor({ filesDir });
	await waitForLine(editor.child, /Editor is now accessible/, { what: 'n8n start', timeoutMs: 3 * MINUTE, redact });
	log(`editor: n8n start is up on ${editor.url}`);
	const account = newOwner('Editor');
	const rest = n8nRest(editor.url);
	await rest.setUpOwner(account);
	return { url: editor.url, account, rest };
}

/** Resolves the list of failed checks (empty when the editor did everything a user expects). */
export async function runEditorTest({ server, sandbox }) {
	await rm(SCREENSHOT_DIR, { recursive: true, force: true });
	await mkdir(SCREENSHOT_DIR, { recursive: true });
	const editor = server;
	const account = server.account;

	const browser = await launchBrowser();
	const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	page.setDefaultTimeout(STEP_TIMEOUT_MS);
	const { step, shot, failures } = stepper(page, SCREENSHOT_DIR);
	const text = `Editor test ${randomBytes(4).toString('hex')}: your request is registered.`;

	await step('sign-in', () => signIn(page, editor.url, account));
	await step('node-search', async () => {
		await page.goto(`${editor.url}/workflow/new`);
		await page.getByTestId('canvas-add-button').click();
		await page.getByTestId('node-creator-search-bar').fill('SFR DMC');
		await smsNodeItem(page).waitFor();
		return `found "${(await smsNodeItem(page).innerText()).split('\n')[0]}"`;
	});
	await step('send-action', async () => {
		await smsNodeItem(page).click();
		// n8n lists the node's triggers and actions together; on an empty canvas the actions
		// start folded.
		const creator = page.getByTestId('node-creator');
		const sendAction = creator.getByTestId('item-iterator-item').filter({ hasText: 'Send an SMS' }).first();
		if (!(await sendAction.isVisible())) await creator.getByText(/^Actions \(\d+\)$/).click();
		await sendAction.click();
		await page.getByTestId('ndv').waitFor();
	});
	await step('credential-test', async () => {
		const modal = await openNewCredential(page);
		await fillParameter(modal, 'serviceId', ACCOUNT.serviceId);
		await fillParameter(modal, 'servicePassword', ACCOUNT.servicePassword);
		await fillParameter(modal, 'spaceId', ACCOUNT.spaceId);
		await fillParameter(modal, 'baseUrl', sandbox.baseUrl);
		await shot('credential-filled');
		// Saving runs the credential's test; n8n may close the modal when it passes.
		const tested = page.waitForResponse((response) => response.url().includes('/rest/credentials/test'));
		await modal.getByTestId('credential-save-button').click();
		const { data } = await (await tested).json();
		if (data?.status !== 'OK') throw new Error(`n8n's credential test says ${data?.status}: ${data?.message}`);
		await modal.waitFor({ state: 'hidden', timeout: 3000 }).catch(() => undefined);
		// Reopened, the credential is tested again and shows the result, as a user sees it.
		if (!(await modal.isVisible())) await page.getByTestId('credential-edit-button').click();
		await modal.getByTestId('credentials-config-container-test-success').waitFor();
		return `saved; n8n's test answered ${data.status} (${data.message}) and the modal shows success`;
	});
	await step('sender-list', async () => {
		// Escape closes the credential modal, and sometimes the node's panel too: reopen it then.
		await page.keyboard.press('Escape');
		await page.getByTestId('editCredential-modal').waitFor({ state: 'hidden' });
		await sleep(500);
		if (!(await page.getByTestId('ndv').isVisible())) {
			// Added from its action, the node is named after it ("Send an SMS"), not "SFR DMC".
			await page.getByTestId('canvas-node').filter({ hasText: 'Send an SMS' }).first().dblclick();
			await page.getByTestId('ndv').waitFor();
		}
		// The list loads from DMC when it opens; a click that lands while the panel settles
		// opens nothing, so click again until it shows.
		const options = page.getByRole('option');
		const wanted = options.filter({ hasText: SENDER }).first();
		for (let attempt = 0; attempt < 3 && !(await wanted.isVisible()); attempt++) {
			await page.getByTestId('parameter-input-sender').click();
			await wanted.waitFor({ timeout: 10_000 }).catch(() => undefined);
		}
		await wanted.waitFor();
		await shot('sender-list-open');
		// An option shows its name, then its description on the next line.
		const listed = (await options.allInnerTexts()).map((option) => option.trim().split('\n')[0]).filter(Boolean);
		const { senders } = await sandbox.get('/_sandbox/config');
		const missing = senders.filter((sender) => !listed.includes(sender));
		if (missing.length > 0) throw new Error(`the Sender list (${listed.join(', ')}) lacks ${missing.join(', ')}`);
		await options.filter({ hasText: SENDER }).first().click();
		return `lists ${listed.join(', ')}`;
	});
	await step('send', async () => {
		await fillParameter(page, 'to', RECIPIENT.written);
		await fillParameter(page, 'message', text);
		await page.getByTestId('node-execute-button').click();
		const message = await storedMessage(sandbox, text);
		if (message.to !== RECIPIENT.e164) throw new Error(`the SMS went to ${message.to}, not ${RECIPIENT.e164}`);
		if (message.from !== SENDER) throw new Error(`the SMS was sent from ${message.from}, not ${SENDER}`);
		await page.getByTestId('output-panel').getByText(String(message.id)).first().waitFor();
		return `the sandbox stored message ${message.id} to ${message.to} from ${message.from}, and the output panel shows its id`;
	});
	await browser.close();
	return failures;
}

/** Headless Chromium, closed at clean-up; elements are found by n8n's `data-test-id`. */
export async function launchBrowser() {
	selectors.setTestIdAttribute('data-test-id');
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
	onCleanup(() => browser.close());
	return browser;
}

/** Signs in on n8n's sign-in page; sign-in fields are inputs wrapped in an element carrying the test id. */
export async function signIn(page, url, account) {
	await page.goto(`${url}/signin`);
	await page.getByTestId('emailOrLdapLoginId').locator('input').fill(account.email);
	await page.getByTestId('password').locator('input').fill(account.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((address) => !address.pathname.startsWith('/signin'));
}
