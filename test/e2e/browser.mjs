#!/usr/bin/env node
/**
 * `npm run e2e:browser`: the real n8n editor in Debian's chromium, with the packed package installed and the
 * service emulator behind a credential. Sets up the owner, finds the node in the nodes panel, checks the fields
 * per input source and the credential dialog, tests the credential (success and wrong password), opens every
 * example, and runs the batch example. Screenshots go to artifacts/; on the newest supported n8n, the run's output
 * view also goes to docs/editor.png and the credential dialog (empty, after a wrong password, tested) to
 * docs/credential-*.png, which the README shows. `--n8n <version>` picks the n8n release (see lib/runtime.mjs).
 */
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import { Checks } from './lib/checks.mjs';
import {
	chooseOption,
	fillParameter,
	launchEditorBrowser,
	parameterShown,
	searchNodesPanel,
	setUpOwner,
} from './lib/editor.mjs';
import { differenceNote, N8N_DIFFERENCES } from './lib/n8nDifferences.mjs';
import { freePort, startN8nServer } from './lib/n8nServer.mjs';
import { REPO_ROOT, secondsSince } from './lib/process.mjs';
import { ensureRuntime, N8N_VERSION, SUPPORTED_N8N } from './lib/runtime.mjs';
import { BATCH_EXAMPLE_FILE, prepareStage } from './lib/stage.mjs';
import { EXAMPLES_DIR } from './lib/workflows.mjs';

const ARTIFACTS = path.join(REPO_ROOT, 'artifacts');
const DOCS = path.join(REPO_ROOT, 'docs');
const README_IMAGE = path.join(DOCS, 'editor.png');
/** The README's pictures come from the newest supported release only. */
const UPDATE_DOCS = N8N_VERSION === SUPPORTED_N8N[0].version;

function toDocs(shot, name) {
	if (!UPDATE_DOCS) return;
	mkdirSync(DOCS, { recursive: true });
	copyFileSync(shot, path.join(DOCS, name));
}
/**
 * Views of the editor kept in docs/ as `editor-<view>-<EDITOR_SHOTS>.png`: `after` (the default) for this code;
 * running this script on an older checkout with EDITOR_SHOTS=before gives the pictures to compare with.
 */
const DOC_SHOT_SUFFIX = process.env.EDITOR_SHOTS ?? 'after';
const OWNER = {
	email: 'owner@example.com',
	firstName: 'Ada',
	lastName: 'Tester',
	password: 'E2e-owner-1',
};
const INPUT_SOURCES = [
	{ option: 'Binary File', shows: 'binaryPropertyName' },
	{ option: 'Image URL', shows: 'imageUrl' },
	{ option: 'Base64', shows: 'base64Image' },
];
const SOURCE_FIELDS = INPUT_SOURCES.map((source) => source.shows);

const checks = new Checks('e2e:browser');
let shotCount = 0;

/** After node icons have loaded and toasts are closed, so the picture shows what a user looks at. */
async function screenshot(page, name) {
	const file = path.join(ARTIFACTS, `${String(++shotCount).padStart(2, '0')}-${name}.png`);
	await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
	for (const close of await page.locator('.el-notification__closeBtn:visible').all()) {
		await close.click().catch(() => {});
	}
	await page.waitForTimeout(300);
	await page.screenshot({ path: file });
	return file;
}

/** Whether a text shows in a panel within 10 s, as a check reads it (never throws). */
const shownIn = (panel) => async (text) =>
	await panel
		.getByText(text)
		.first()
		.waitFor({ timeout: 10_000 })
		.then(() => true)
		.catch(() => false);

/** A screenshot that is also kept in docs/, named for the view and the code it shows. */
async function docShot(page, view) {
	const shot = await screenshot(page, view);
	toDocs(shot, `editor-${view}-${DOC_SHOT_SUFFIX}.png`);
	return shot;
}

/** The visible options of the open dropdown: each one's name (first line) and whether the list cuts it off. */
async function openDropdownOptions(page) {
	const items = page.locator('.el-select-dropdown__item:visible');
	await items.first().waitFor();
	return await items.evaluateAll((elements) =>
		elements.map((element) => {
			const cut = [element, ...element.querySelectorAll('*')].some(
				(inner) => inner.scrollWidth > inner.clientWidth + 1,
			);
			return { name: element.innerText.split('\n')[0].trim(), cut };
		}),
	);
}

/** Closes an open dropdown without leaving the node view (Escape would close the node view too). */
async function closeDropdown(ndv) {
	await ndv.getByText('Parameters', { exact: true }).first().click();
	// Wait until it has gone, so the next list read is not this one's.
	await ndv
		.page()
		.locator('.el-select-dropdown__item:visible')
		.first()
		.waitFor({ state: 'hidden' })
		.catch(() => {});
}

/** Saves the open credential dialog and returns n8n's verdict from the test request it makes. */
async function saveAndReadTest(page, modal) {
	const tested = page.waitForResponse((r) => r.url().includes('/rest/credentials/test'));
	await modal.getByTestId('credential-save-button').click();
	const body = await (await tested).json();
	return body.data ?? body;
}

async function checkNodesPanel(page, baseUrl) {
	const items = await searchNodesPanel(page, baseUrl, 'passport');
	const item = items.filter({ hasText: 'Passport OCR' }).first();
	await item.waitFor();
	checks.ok('typing "passport" in the nodes panel finds Passport OCR', await item.isVisible());
	await screenshot(page, 'nodes-panel-passport');
	await item.click();
	await page.getByRole('button', { name: 'Add to workflow' }).click();
	await page.getByTestId('ndv').waitFor();
	checks.pass('the node opens in the node view');
}

async function checkInputSources(page) {
	const ndv = page.getByTestId('ndv');
	const chosen = await ndv.getByTestId('parameter-input-inputSource').locator('input').inputValue();
	await ndv.getByTestId('parameter-input-inputSource').click();
	const sources = await openDropdownOptions(page);
	await docShot(page, 'input-source-options');
	await closeDropdown(ndv);
	checks.equal(
		'Input Source: Binary File is first and the default',
		[sources.map((option) => option.name), chosen],
		[['Binary File', 'Image URL', 'Base64'], 'Binary File'],
	);
	// The collection's "Add option" is a select whose text is its placeholder.
	await ndv.getByPlaceholder('Add option').first().click();
	const options = await openDropdownOptions(page);
	await docShot(page, 'options-list');
	await closeDropdown(ndv);
	checks.equal(
		'Options: every name fits in the list, the validity rule and PDF Pages among them',
		{
			cut: options.filter((option) => option.cut).map((option) => option.name),
			has: ['Minimum Validity (Months)', 'PDF Pages'].filter((name) =>
				options.some((option) => option.name === name),
			),
		},
		{ cut: [], has: ['Minimum Validity (Months)', 'PDF Pages'] },
	);
	console.log(`        option list: ${options.map((option) => option.name).join(', ')}`);
	for (const { option, shows } of INPUT_SOURCES) {
		await chooseOption(page, 'parameter-input-inputSource', option, ndv);
		const shown = [];
		for (const field of SOURCE_FIELDS) if (await parameterShown(ndv, field)) shown.push(field);
		checks.equal(`Input Source "${option}" shows only its field`, shown, [shows]);
		await screenshot(page, `node-input-${shows}`);
		if (shows === 'binaryPropertyName') {
			// The hint shows under the field, without hovering.
			const hint = await shownIn(ndv)(
				/One output item per passport file.*attachment_\*.*skipped_files/s,
			);
			await docShot(page, 'input-binary-field-hint');
			checks.ok(
				'Input Binary Field: the hint says one item per file, names, patterns, expressions and skipped files',
				hint,
			);
		}
		if (shows === 'imageUrl') {
			// The parameter's help shows on hovering the info icon beside its label.
			const label = ndv.locator('.n8n-input-label').filter({ hasText: 'Image URL' }).last();
			await label.hover();
			await label.locator('[class*="infoIcon"], [class*="info-icon"], svg').first().hover();
			await page.waitForTimeout(800);
			await docShot(page, 'image-url-help');
			const help = page.getByText(/Object Storage Service \(OBS\).*PDF/s).first();
			checks.ok(
				'Image URL explains OBS in words a user knows, and that a PDF link does not work',
				await help.isVisible(),
			);
			// Away from the icon, so the help closes and does not cover the next fields.
			await page.mouse.move(1100, 700);
			await page.waitForTimeout(500);
		}
	}
}

async function checkCredentialDialog(page, stage) {
	const { emulator, account } = stage;
	await page.getByTestId('node-credentials-select').click();
	await page.getByTestId('node-credentials-select-item-new').click();
	const modal = page.getByTestId('editCredential-modal');
	await modal.waitFor();
	checks.ok('the credential dialog shows Cloud', await parameterShown(modal, 'cloud'));
	checks.ok(
		'the credential dialog shows Region',
		await modal.getByText('Region', { exact: true }).isVisible(),
	);
	// What a user fills in for an IAM user on Huawei Cloud (example values; nothing is saved here).
	await fillParameter(modal, 'projectId', '0a1b2c3d4e5f60718293a4b5c6d7e8f9');
	await fillParameter(modal, 'domainName', 'my-company');
	await fillParameter(modal, 'userName', 'ocr-user');
	toDocs(await screenshot(page, 'credential-dialog'), 'credential-dialog.png');
	await chooseOption(page, 'parameter-input-cloud', 'Custom Endpoints', modal);
	const customFields = ['customOcrEndpoint', 'customIamEndpoint', 'customRegion', 'customEdition'];
	const shown = [];
	for (const field of customFields) if (await parameterShown(modal, field)) shown.push(field);
	checks.equal(
		'Custom Endpoints shows the endpoint, region and edition fields',
		shown,
		customFields,
	);
	await fillParameter(modal, 'customOcrEndpoint', emulator.baseUrl);
	await fillParameter(modal, 'customIamEndpoint', emulator.baseUrl);
	await fillParameter(modal, 'customRegion', emulator.region);
	await fillParameter(modal, 'projectId', account.projects[0].id);
	await fillParameter(modal, 'domainName', account.domain);
	await fillParameter(modal, 'userName', account.user);

	await fillParameter(modal, 'password', 'not-the-password');
	const refused = await saveAndReadTest(page, modal);
	await modal.getByText('More details').click();
	const shownMessage = await modal.getByText('Sign-in failed').first().isVisible();
	checks.ok(
		'Test with a wrong password fails with the sign-in message, shown in the dialog',
		refused.status === 'Error' && /Sign-in failed/.test(refused.message) && shownMessage,
		refused.message,
	);
	toDocs(await screenshot(page, 'credential-wrong-password'), 'credential-wrong-password.png');

	const loginsBefore = emulator.logins();
	await fillParameter(modal, 'password', account.password);
	const accepted = await saveAndReadTest(page, modal);
	checks.ok(
		'Test with the right password succeeds against the emulator',
		accepted.status === 'OK' && emulator.logins() > loginsBefore,
		`${accepted.status}: ${accepted.message}`,
	);
	// A credential that tests well closes its dialog on save; open it again from the node.
	if (!(await modal.isVisible())) await page.getByTestId('credential-edit-button').click();
	const retested = page.waitForResponse((r) => r.url().includes('/rest/credentials/test'));
	await modal.getByRole('button', { name: 'Retry' }).click();
	const again = (await (await retested).json()).data;
	await modal.getByText('Connection tested successfully').waitFor();
	checks.ok(
		'the dialog shows the success, and its Retry (test) button passes again',
		again?.status === 'OK',
	);
	toDocs(await screenshot(page, 'credential-tested'), 'credential-tested.png');

	await fillParameter(modal, 'password', 'changed-to-wrong');
	const loginsBeforeEdit = emulator.logins();
	const edited = await saveAndReadTest(page, modal);
	checks.ok(
		'after editing the password to a wrong one, Test fails (a cached token must not hide it)',
		edited.status === 'Error' && /Sign-in failed/.test(edited.message),
		`${edited.status}: ${edited.message} (IAM sign-ins during this test: ${emulator.logins() - loginsBeforeEdit})`,
	);
	await screenshot(page, 'credential-edited-wrong-password');
}

async function checkExamplesOpen(page, baseUrl, stage) {
	const known = await (await page.request.get(`${baseUrl}/types/nodes.json`)).json();
	const versions = new Map();
	for (const type of known) {
		const list = Array.isArray(type.version) ? type.version : [type.version];
		versions.set(type.name, [...(versions.get(type.name) ?? []), ...list]);
	}
	checks.ok(
		'n8n offers the node as an AI tool too',
		versions.has('n8n-nodes-passport-ocr.passportOcrTool'),
	);
	for (const { file, workflow } of stage.workflows) {
		const unknown = workflow.nodes
			.filter((node) => !(versions.get(node.type) ?? []).includes(node.typeVersion))
			.map((node) => `${node.name} (${node.type} v${node.typeVersion})`);
		const tooNew = N8N_DIFFERENCES.unknownExampleNodes[file];
		if (tooNew) {
			checks.equal(
				`examples/${file}: only the nodes newer than this release are unknown${differenceNote('example needs n8n 2.x')}`,
				unknown,
				tooNew,
			);
		} else {
			checks.equal(`examples/${file}: every node type and version is known to n8n`, unknown, []);
		}
		await page.goto(`${baseUrl}/workflow/${workflow.id}`);
		await page.getByTestId('canvas-node').first().waitFor();
		const onCanvas = await page.getByTestId('canvas-node').count();
		const expected = workflow.nodes.filter(
			(node) => node.type !== 'n8n-nodes-base.stickyNote',
		).length;
		checks.equal(
			`examples/${file}: opens in the editor with all its nodes`,
			onCanvas >= expected,
			true,
		);
		await screenshot(page, `example-${path.basename(file, '.json')}`);
	}
}

/** As a user does: a new workflow, "Import from File...", the example file as it is in the repository. */
async function checkImportFromFile(page, baseUrl, credential) {
	const file = 'passport-form-check.json';
	await page.goto(`${baseUrl}/workflow/new`);
	await page.getByTestId('canvas-wrapper').waitFor();
	await page.getByTestId('workflow-import-input').setInputFiles(path.join(EXAMPLES_DIR, file));
	const node = page.getByTestId('canvas-node').filter({ hasText: 'Read passport' });
	await node.waitFor();
	await node.dblclick();
	const chosen = await page.getByTestId('node-credentials-select').locator('input').inputValue();
	checks.equal(
		`examples/${file} imported from file in the editor: its credential is found`,
		chosen,
		credential.name,
	);
	await screenshot(page, 'example-imported-from-file');
	const close = page.getByTestId('ndv-close-button');
	if (await close.count()) await close.click();
	else await page.keyboard.press('Escape'); // n8n 1.x's node view has no such button
}

async function runBatchExample(page, baseUrl, stage) {
	const batch = stage.workflows.find(({ file }) => file === BATCH_EXAMPLE_FILE).workflow;
	await page.goto(`${baseUrl}/workflow/${batch.id}`);
	await page.getByTestId('execute-workflow-button').click();
	await page.getByText('Workflow executed successfully').waitFor({ timeout: 60_000 });
	checks.pass('Execute workflow on the batch example succeeds');
	await screenshot(page, 'batch-example-executed');
	await page.getByTestId('canvas-node').filter({ hasText: 'Read passport' }).dblclick();
	const output = page.getByTestId('output-panel');
	await output.getByTestId('radio-button-json').click();
	const qian = stage.fixtures.find((fixture) => fixture.name === 'china-qian').result;
	const shows = shownIn(output);
	checks.ok(
		'the output view shows the passport fields read',
		(await shows(qian.passport_number)) && (await shows(qian.surname)),
		`${qian.surname} ${qian.passport_number}`,
	);
	const shot = await screenshot(page, 'read-passport-output');
	toDocs(shot, path.basename(README_IMAGE));
}

/**
 * As a user with a scanner's PDF does: HTTP Request downloads it, Passport OCR reads every scanned page. The
 * workflow is imported from a file and run with Execute workflow; the output view must show both passports.
 */
async function readPdfInEditor(page, baseUrl, stage) {
	const { severalScansPdf } = createRequire(import.meta.url)(
		path.join(REPO_ROOT, 'build-test', 'test', 'support', 'passportPdfs.js'),
	);
	stage.emulator.serveFile('family-passports.pdf', severalScansPdf(), 'application/pdf');
	const workflow = {
		name: 'Read the passports in a scanned PDF (e2e)',
		nodes: [
			{
				id: 'p1',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'p2',
				name: 'Download PDF',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				parameters: {
					url: stage.emulator.fileUrl('family-passports.pdf'),
					options: { response: { response: { responseFormat: 'file' } } },
				},
			},
			{
				id: 'p3',
				name: 'Read passports',
				type: 'n8n-nodes-passport-ocr.passportOcr',
				typeVersion: 1,
				position: [440, 0],
				parameters: { options: { pdfPages: 'every' } },
				credentials: {
					huaweiCloudOcrApi: { id: stage.credential.id, name: stage.credential.name },
				},
			},
		],
		connections: {
			Start: { main: [[{ node: 'Download PDF', type: 'main', index: 0 }]] },
			'Download PDF': { main: [[{ node: 'Read passports', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
	const file = path.join(os.tmpdir(), `passport-pdf-${process.pid}.json`);
	writeFileSync(file, JSON.stringify(workflow));
	await page.goto(`${baseUrl}/workflow/new`);
	await page.getByTestId('canvas-wrapper').waitFor();
	// Right after loading, the editor may not listen to the import input yet: try again once.
	const imported = page.getByTestId('canvas-node').filter({ hasText: 'Read passports' });
	for (let attempt = 0; attempt < 2 && !(await imported.isVisible()); attempt++) {
		await page.waitForTimeout(1000);
		await page.getByTestId('workflow-import-input').setInputFiles(file);
		await imported.waitFor({ timeout: 10_000 }).catch(() => {});
	}
	rmSync(file, { force: true });
	await imported.waitFor();
	await page.getByTestId('execute-workflow-button').click();
	await page.getByText('Workflow executed successfully').waitFor({ timeout: 60_000 });
	await page.getByTestId('canvas-node').filter({ hasText: 'Read passports' }).dblclick();
	const output = page.getByTestId('output-panel');
	await output
		.getByTestId('radio-button-table')
		.click()
		.catch(() => {});
	const shows = shownIn(output);
	checks.ok(
		'a scanned PDF downloaded by HTTP Request: Passport OCR reads both passports in it, one item per page',
		(await shows('ERIKSSON')) && (await shows('QIAN')) && (await shows('2 items')),
	);
	// The table view holds every item (the JSON view draws only what is on screen); the picture shows the JSON.
	await output.getByTestId('radio-button-json').click();
	await docShot(page, 'pdf-read');
	await page.getByTestId('ndv-close-button').click();
}

async function main() {
	const started = performance.now();
	mkdirSync(ARTIFACTS, { recursive: true });
	for (const file of readdirSync(ARTIFACTS)) {
		if (file.endsWith('.png')) rmSync(path.join(ARTIFACTS, file));
	}
	await ensureRuntime({ browser: true, log: (line) => console.log(`setup: ${line}`) });
	const stage = await prepareStage({ log: (line) => console.log(`stage: ${line}`) });
	const port = await freePort();
	const server = await startN8nServer(stage.folder, {
		port,
		logFile: path.join(ARTIFACTS, 'n8n-browser.log'),
	});
	console.log(
		`e2e:browser: n8n ${N8N_VERSION} at ${server.url} ready after ${secondsSince(started)} s`,
	);
	const { browser, page } = await launchEditorBrowser();
	try {
		await checks.group('Owner account', async () => {
			await setUpOwner(page, server.url, OWNER);
			checks.pass('the owner account is set up from the first screen');
		});
		await checks.group('Nodes panel and node view', async () => {
			await checkNodesPanel(page, server.url);
			await checkInputSources(page);
		});
		await checks.group('Credential dialog and Test', () => checkCredentialDialog(page, stage));
		await checks.group('Examples in the editor', async () => {
			await checkExamplesOpen(page, server.url, stage);
			await checkImportFromFile(page, server.url, stage.credential);
		});
		await checks.group('Execute in the editor', async () => {
			await runBatchExample(page, server.url, stage);
			await readPdfInEditor(page, server.url, stage);
		});
	} finally {
		if (checks.failed > 0) await screenshot(page, 'last-screen-on-failure').catch(() => {});
		await browser.close();
		await server.stop();
		await stage.emulator.close();
		if (checks.failed === 0) stage.folder.remove();
		else console.log(`\nn8n user folder kept for a look: ${stage.folder.folder}`);
	}
	console.log(`\nscreenshots in ${ARTIFACTS}; browser test took ${secondsSince(started)} s`);
}

try {
	await main();
} catch (error) {
	checks.fail(
		'e2e:browser run',
		error instanceof Error ? (error.stack ?? error.message) : String(error),
	);
}
checks.finish();
