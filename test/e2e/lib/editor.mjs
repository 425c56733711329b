/**
 * Driving the real n8n editor with playwright-core and Debian's chromium. Selectors are the editor's own
 * `data-test-id` attributes and visible texts, as a user sees them.
 */
import { chromium, selectors } from 'playwright-core';

import { CHROMIUM } from './runtime.mjs';

selectors.setTestIdAttribute('data-test-id');

export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export async function launchEditorBrowser() {
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	const page = await context.newPage();
	page.setDefaultTimeout(45_000);
	return { browser, page };
}

/** The first-start screen: creates the owner account and waits to leave /setup. */
export async function setUpOwner(page, baseUrl, owner) {
	// n8n 1.x reports ready before it has written the editor's files (it answers 404 until then).
	const deadline = Date.now() + 90_000;
	while ((await page.goto(`${baseUrl}/setup`))?.status() === 404 && Date.now() < deadline) {
		await page.waitForTimeout(2_000);
	}
	// n8n 2.x names its inputs; n8n 1.x's form has only the visible labels.
	const field = async (name, label) => {
		const named = page.locator(`input[name=${name}]`);
		if (await named.count()) return named;
		return page.locator(
			`xpath=//label[contains(normalize-space(.), "${label}")]/following::input[1]`,
		);
	};
	await page.locator('input').first().waitFor();
	await (await field('email', 'Email')).fill(owner.email);
	await (await field('firstName', 'First Name')).fill(owner.firstName);
	await (await field('lastName', 'Last Name')).fill(owner.lastName);
	await (await field('password', 'Password')).fill(owner.password);
	const submit = page.getByTestId('form-submit-button');
	if (await submit.count()) await submit.click();
	else await page.getByRole('button', { name: 'Next' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/setup'));
}

/** Opens the nodes panel of a new workflow and types the query, as a user does. */
export async function searchNodesPanel(page, baseUrl, query) {
	await page.goto(`${baseUrl}/workflow/new`);
	await page.getByTestId('node-creator-plus-button').click();
	await page.keyboard.type(query);
	return page.getByTestId('node-creator-node-item');
}

/** Picks a select option by its visible text, in whichever dropdown is open. */
export async function chooseOption(page, selectTestId, optionText, scope = page) {
	await scope.getByTestId(selectTestId).click();
	await page
		.locator('.el-select-dropdown__item:visible')
		.filter({ hasText: optionText })
		.first()
		.click();
}

/** Whether a parameter's input is on screen (hidden parameters are not rendered at all). */
export async function parameterShown(scope, name) {
	const input = scope.getByTestId(`parameter-input-${name}`);
	return (await input.count()) > 0 && (await input.first().isVisible());
}

export async function fillParameter(scope, name, value) {
	await scope.getByTestId(`parameter-input-${name}`).locator('input, textarea').first().fill(value);
}
