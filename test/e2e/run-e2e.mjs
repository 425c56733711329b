#!/usr/bin/env node
/**
 * `npm run e2e`: the packed package inside a real n8n, run by the n8n CLI against the service emulator.
 * Installs the package into a throwaway user folder as a community package, imports credentials and the
 * example workflows, executes them, and checks what came out. Ends with `e2e: N passed, N failed`.
 *
 * Options:
 *   --n8n <version>          one n8n release: 1.123.x, 2.41.x, 1, 2, or an exact version (see lib/runtime.mjs).
 *                            Without it (or with `all`), every supported release in turn, each in a child process,
 *                            with the same workflows and the same checks; then a summary per release.
 *   --binary-mode <mode>     N8N_DEFAULT_BINARY_DATA_MODE for the run (filesystem, database, default); the run then
 *                            also checks that the uploaded file was stored in that mode.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Checks } from './lib/checks.mjs';
import { FILLED_FROM_MRZ, expectedPassportFields } from './lib/specimenFields.mjs';
import { chatModelCredential, emulatorCredential, smtpCredential } from './lib/credentials.mjs';
import { compileEmulator, loadEmulator } from './lib/emulator.mjs';
import { startChatModelStub, startHttpRecorder, startSmtpRecorder } from './lib/fakeServices.mjs';
import { N8nUserFolder, nodeOutput, runError } from './lib/n8nCli.mjs';
import { checkCredentialTestRoute } from './lib/credentialTestRoute.mjs';
import { submitForm, waitFor, waitUntilServed } from './lib/formSubmission.mjs';
import { freePort, startN8nServer } from './lib/n8nServer.mjs';
import { buildAndPack, installIntoUserFolder, removeTarball } from './lib/package.mjs';
import { REPO_ROOT, secondsSince } from './lib/process.mjs';
import { ensureRuntime, N8N_VERSION, requestedN8nVersion, SUPPORTED_N8N } from './lib/runtime.mjs';
import {
	agentVariant,
	batchVariant,
	EXAMPLES_DIR,
	executionLogicV2Workflow,
	formVariant,
	loadExample,
	loadExamples,
	MULTI_FILE_FORM_EXAMPLE,
	multiFileFormVariant,
	NODE_TYPE,
	OCR_CREDENTIAL_TYPE,
	pdfReadWorkflow,
	singleReadWorkflow,
} from './lib/workflows.mjs';

const checks = new Checks('e2e');
const timings = [];

function optionValue(name) {
	const index = process.argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
	if (index < 0) return undefined;
	const arg = process.argv[index];
	return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : process.argv[index + 1];
}

/** Set only when asked for: otherwise each n8n release runs with its own default. */
const BINARY_MODE = optionValue('binary-mode');

async function timed(label, work) {
	const start = performance.now();
	try {
		return await work();
	} finally {
		timings.push(`${label} ${secondsSince(start)} s`);
	}
}

/** The node's contract (field names), compiled with the tests. */
const contract = () =>
	createRequire(import.meta.url)(
		path.join(REPO_ROOT, 'build-test', 'nodes', 'PassportOcr', 'contract', 'passportApi.js'),
	);

/**
 * What the node must put out for a fixture: the contract's fields trimmed (null when not read), and those the
 * MRZ supplies, listed in filled_from_mrz.
 */
function expectedFields(fixture, { PASSPORT_FIELDS, MRZ_LINE_FIELDS }) {
	const expected = expectedPassportFields(fixture, PASSPORT_FIELDS);
	expected.filled_from_mrz = Object.keys(FILLED_FROM_MRZ[fixture.name]);
	for (const line of MRZ_LINE_FIELDS) {
		if (typeof fixture.result[line] === 'string') expected[line] = fixture.result[line].trim();
	}
	expected.confidence = fixture.result.confidence ?? {};
	expected.extra_info = fixture.result.extra_info ?? {};
	return expected;
}

/** Compares the item's fields with the fixture's; other keys (checks, request_id...) are not part of it. */
function checkRead(name, item, fixture, fields) {
	const expected = expectedFields(fixture, fields);
	const json = item?.json ?? {};
	const actual = Object.fromEntries(Object.keys(expected).map((key) => [key, json[key]]));
	checks.equal(`${name}: passport fields`, actual, expected);
	checks.ok(
		`${name}: request_id`,
		typeof json.request_id === 'string' && json.request_id.length > 0,
		String(json.request_id),
	);
}

function checkErrorItem(name, item) {
	const json = item?.json ?? {};
	return checks.ok(
		`${name}: error item with error and error_code`,
		typeof json.error === 'string' && json.error !== '' && typeof json.error_code === 'string',
		`${json.error_code}: ${json.error}`,
	);
}

function checkRunSucceeded(name, result) {
	const error = runError(result.run);
	checks.ok(
		`${name}: n8n execute exits 0, status success`,
		result.code === 0 && result.run?.status === 'success',
		`exit ${result.code}, status ${result.run?.status}${error ? `, error: ${error}` : ''}`,
	);
}

/** Everything the suite runs against: emulator, recorders, a user folder, credentials, workflows. */
async function prepare() {
	await timed('setup', () =>
		ensureRuntime({ browser: false, log: (l) => console.log(`setup: ${l}`) }),
	);
	const typeErrors = await timed('compile emulator', compileEmulator);
	if (typeErrors > 0)
		console.log(`e2e: note: ${typeErrors} type errors in other tests (npm test reports them)`);
	const tarball = await timed('build + pack', buildAndPack);
	const { startEmulator, DEFAULT_ACCOUNT, FIXTURES } = loadEmulator();
	const emulator = await startEmulator();
	const crm = await startHttpRecorder();
	const smtp = await startSmtpRecorder();
	const chatModel = await startChatModelStub();
	const folder = N8nUserFolder.createTemporary({
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		...(BINARY_MODE ? { N8N_DEFAULT_BINARY_DATA_MODE: BINARY_MODE } : {}),
	});
	emulator.serveFile('not-a-passport.txt', Buffer.from('This is not an image.\n'), 'text/plain');
	const credential = emulatorCredential(emulator, DEFAULT_ACCOUNT);
	const wrongPassword = emulatorCredential(emulator, DEFAULT_ACCOUNT, {
		id: 'e2eOcrWrongPass01',
		name: 'Huawei Cloud OCR, wrong password',
		password: 'not-the-password',
	});
	const smtpRecorder = smtpCredential(smtp.port);
	const modelCredential = chatModelCredential(chatModel.url);
	const batch = batchVariant(
		loadExample('passport-batch-from-list.json'),
		`${emulator.baseUrl}/files/`,
	);
	batch.id = 'e2eBatchList0001';
	const form = formVariant(loadExample('passport-form-check.json'), {
		submissions: [
			{ surname: 'Qian', email: 'qian@example.com', scanUrl: emulator.fileUrl('china-qian.jpg') },
			{
				surname: 'Eriksson',
				email: 'anna@example.com',
				scanUrl: emulator.fileUrl('utopia-eriksson.jpg'),
			},
			{ surname: 'Smith', email: 'smith@example.com', scanUrl: emulator.fileUrl('china-qian.jpg') },
			{ surname: 'Doe', email: 'doe@example.com', scanUrl: emulator.fileUrl('not-a-passport.txt') },
		],
		crmUrl: crm.url,
		smtpCredential: smtpRecorder,
	});
	const strict = singleReadWorkflow({
		id: 'e2eWrongPassword1',
		name: 'Passport OCR with a wrong password (e2e)',
		imageUrl: emulator.fileUrl('china-qian.jpg'),
		credential: wrongPassword,
	});
	// A 12 MP phone photo stored as Flate pixels (ImageMagick's zip compression): too large to send as stored.
	const { flatePhotoPdf } = createRequire(import.meta.url)(
		path.join(REPO_ROOT, 'build-test', 'test', 'support', 'passportPdfs.js'),
	);
	emulator.serveFile('flate-photo.pdf', flatePhotoPdf(4000, 3000), 'application/pdf');
	const flatePdf = pdfReadWorkflow({
		id: 'e2eFlatePhotoPdf1',
		name: 'Passport OCR on a Flate photo PDF (e2e)',
		pdfUrl: emulator.fileUrl('flate-photo.pdf'),
		credential,
	});
	const formUploads = multiFileFormVariant(loadExample(MULTI_FILE_FORM_EXAMPLE), {
		id: 'e2eFormUploads01',
		webhookId: 'e2e-form-uploads',
		crmUrl: `${crm.url}/api/travellers`,
	});
	const logicV2 = HAS_EXECUTION_LOGIC_V2
		? {
				logicV2: executionLogicV2Workflow({
					id: 'e2eLogicV2Files01',
					scanUrls: [emulator.fileUrl('utopia-eriksson.jpg'), emulator.fileUrl('china-qian.jpg')],
					credential,
				}),
			}
		: {};
	const agent = agentVariant(loadExample('passport-ai-agent.json'), {
		question: `Read the passport at ${emulator.fileUrl('china-qian.jpg')} and tell me if it is valid.`,
		modelCredential,
	});
	return {
		tarball,
		emulator,
		crm,
		smtp,
		chatModel,
		folder,
		fixture: (name) => FIXTURES.find((candidate) => candidate.name === name),
		fields: contract(),
		credentials: { ocr: credential, wrongPassword, smtp: smtpRecorder, model: modelCredential },
		workflows: { batch, form, strict, agent, flatePdf, formUploads, ...logicV2 },
	};
}

/** Only n8n 2.x has Execution Logic v2 (the `combined` binary mode). */
const HAS_EXECUTION_LOGIC_V2 = Number(N8N_VERSION.split('.')[0]) >= 2;

async function installAndImport(ctx) {
	const { folder, credentials, workflows } = ctx;
	const { version } = await timed('install package', () =>
		installIntoUserFolder(ctx.tarball, folder.folder),
	);
	removeTarball(ctx.tarball);
	checks.pass(`${path.basename(ctx.tarball)} installed into ~/.n8n/nodes`, `version ${version}`);
	await timed('import credentials', () => folder.importCredentials(Object.values(credentials)));
	checks.pass(
		'credentials imported',
		Object.values(credentials)
			.map((c) => c.name)
			.join('; '),
	);
	await timed('import examples', () => folder.importWorkflowDirectory(EXAMPLES_DIR));
	await timed('import variants', () =>
		folder.importWorkflows(Object.values(workflows), 'variants'),
	);
	const stored = new Map(
		(await folder.exportWorkflows()).map((workflow) => [workflow.id, workflow]),
	);
	for (const { file, workflow } of loadExamples()) {
		const ocrNodes = (stored.get(workflow.id)?.nodes ?? []).filter((node) =>
			node.type.startsWith(NODE_TYPE),
		);
		checks.ok(
			`examples/${file} imports; its credential reference resolves by name`,
			ocrNodes.length > 0 &&
				ocrNodes.every(
					(node) => node.credentials?.[OCR_CREDENTIAL_TYPE]?.id === credentials.ocr.id,
				),
			ocrNodes
				.map((node) => `${node.name} -> ${node.credentials?.[OCR_CREDENTIAL_TYPE]?.id}`)
				.join('; '),
		);
	}
}

async function batchExample({ folder, emulator, fixture, fields, workflows }) {
	const result = await timed('execute batch', () => folder.execute(workflows.batch.id));
	checkRunSucceeded('batch', result);
	const read = nodeOutput(result.run, 'Read passport') ?? [];
	checks.equal(
		'Read passport: one item per row, in order',
		read.map((item) => item.pairedItem),
		[{ item: 0 }, { item: 1 }, { item: 2 }],
	);
	checkRead('row 1 (china-qian.jpg)', read[0], fixture('china-qian'), fields);
	checkRead(
		'row 2 (netherlands-van-den-broek.png)',
		read[1],
		fixture('netherlands-van-den-broek'),
		fields,
	);
	checkErrorItem('row 3 (a broken link)', read[2]);
	const rows = nodeOutput(result.run, 'Result row') ?? [];
	checks.equal(
		'Result row: statuses',
		rows.map((item) => item.json.status),
		['read', 'read', 'not read'],
	);
	const file = nodeOutput(result.run, 'Spreadsheet file')?.[0]?.binary?.data;
	checks.ok(
		'Spreadsheet file: passports.csv',
		file?.fileName === 'passports.csv' && /csv/.test(file?.mimeType ?? ''),
		`${file?.fileName} ${file?.mimeType} ${file?.fileSize ?? ''}`,
	);
	checks.equal(
		'emulator: one IAM sign-in (the credential started without a token)',
		emulator.logins(),
		1,
	);
}

/** Where n8n kept the uploaded file: in the run data (in memory) or by reference (filesystem, database...). */
function checkBinaryStorage(binary, folder) {
	const id = String(binary?.id ?? '');
	const storedAs = id === '' ? 'in memory (no id)' : id.split(':')[0];
	if (!BINARY_MODE) {
		checks.pass("the upload is stored by n8n's default binary data mode", storedAs);
		return;
	}
	if (BINARY_MODE === 'filesystem') {
		// ~/.n8n/binaryData in 1.x and 2.x; 3.0 renames it ~/.n8n/storage.
		const roots = ['binaryData', 'storage']
			.map((name) => path.join(folder.folder, '.n8n', name))
			.filter((dir) => existsSync(dir));
		const files = roots.flatMap((dir) => readdirSync(dir, { recursive: true }));
		checks.ok(
			'filesystem binary mode: the upload is a reference to a file, not bytes in the run data',
			/^filesystem/.test(id),
			`id ${id.slice(0, 40)}..., data ${String(binary?.data).slice(0, 20)}`,
		);
		checks.ok(
			'filesystem binary mode: the files are on disk in the user folder',
			files.length > 0,
			`${files.length} entries under ${roots.map((r) => path.relative(folder.folder, r)).join(', ')}`,
		);
		return;
	}
	checks.ok(
		`${BINARY_MODE} binary mode: the upload is stored in that mode`,
		storedAs.startsWith(BINARY_MODE),
		storedAs,
	);
}

async function formExample({ folder, emulator, crm, smtp, fixture, fields, workflows }) {
	const result = await timed('execute form', () => folder.execute(workflows.form.id));
	checkRunSucceeded('form', result);
	const passed = nodeOutput(result.run, 'Read passport', 0) ?? [];
	const review = nodeOutput(result.run, 'Read passport', 1) ?? [];
	checks.equal(
		'Read passport: Passed holds submissions 1 and 3',
		passed.map((i) => i.pairedItem.item),
		[0, 2],
	);
	checks.equal(
		'Read passport: Needs Review holds 2 and 4',
		review.map((i) => i.pairedItem.item),
		[1, 3],
	);
	checkRead('submission 1 (binary field "passport")', passed[0], fixture('china-qian'), fields);
	checks.equal(
		'submission 1: the upload is passed on',
		passed[0]?.binary?.passport?.mimeType,
		'image/jpeg',
	);
	checkBinaryStorage(passed[0]?.binary?.passport, folder);
	const expired = review[0]?.json ?? {};
	checks.ok(
		'submission 2 (expired): its review reasons say why',
		Array.isArray(expired.review_reasons) && expired.review_reasons.some((r) => /expir/i.test(r)),
		JSON.stringify(expired.review_reasons),
	);
	// The documented foreign shape: 7 fields and the MRZ lines; nationality and type come from the MRZ.
	checkRead(
		'submission 2 (Utopia, the documented foreign shape)',
		review[0],
		fixture('utopia-eriksson'),
		fields,
	);
	checks.ok(
		'submission 2: nationality is not a problem, and the ICAO specimen is flagged',
		!expired.review_reasons?.some((r) => /nationality/i.test(r)) &&
			expired.checks?.not_specimen === false,
		JSON.stringify(expired.review_reasons),
	);
	const notImage = review[1];
	// An image the node cannot send goes to Needs Review with its reason, as failed checks do.
	checks.ok(
		'submission 4 (a text file): on Needs Review with its reason and code',
		notImage?.json?.error_code === 'INPUT.FORMAT' &&
			Array.isArray(notImage?.json?.review_reasons) &&
			notImage.json.review_reasons.length > 0,
		`${notImage?.json?.error_code}: ${JSON.stringify(notImage?.json?.review_reasons)}`,
	);
	const qian = fixture('china-qian').result;
	checks.equal(
		'CRM received the accepted contact only',
		crm.requests.map(({ method, path: url, body }) => [
			method,
			url,
			body.email,
			body.last_name,
			body.passport_number,
		]),
		[['POST', '/api/contacts', 'qian@example.com', qian.surname, qian.passport_number]],
	);
	const mails = new Map(smtp.messages.map((m) => [m.to.join(','), m.data.replace(/=\r?\n/g, '')]));
	checks.equal('emails asking for a new photo', [...mails.keys()].sort(), [
		'<anna@example.com>',
		'<doe@example.com>',
		'<smith@example.com>',
	]);
	checks.ok(
		'the email to anna gives the review reason',
		/expir/i.test(mails.get('<anna@example.com>') ?? ''),
	);
	checks.ok(
		'the email to smith says the surname differs',
		/surname/.test(mails.get('<smith@example.com>') ?? ''),
	);
	const errorStart = String(notImage?.json?.error ?? '-').slice(0, 25);
	checks.ok(
		"the email to doe carries the node's error",
		(mails.get('<doe@example.com>') ?? '').includes(errorStart),
	);
	checks.equal(
		'emulator: still one IAM sign-in (the stored token is reused)',
		emulator.logins(),
		1,
	);
}

async function agentExample({ folder, emulator, chatModel, fixture, workflows }) {
	const ocrCallsBefore = emulator.ocrCalls();
	const result = await timed('execute agent', () => folder.execute(workflows.agent.id));
	checkRunSucceeded('agent', result);
	const offered = chatModel.requests[0]?.body?.tools?.map((tool) => tool.function.name) ?? [];
	checks.ok(
		'the chat model is offered the node as a tool',
		offered.length === 1,
		offered.join(', '),
	);
	const toolResult = chatModel.requests
		.flatMap((request) => request.body.messages ?? [])
		.find((message) => message.role === 'tool');
	const qian = fixture('china-qian').result;
	checks.ok(
		'the tool call read the passport (one OCR call, its fields in the tool result)',
		emulator.ocrCalls() - ocrCallsBefore === 1 &&
			String(toolResult?.content).includes(qian.passport_number),
		String(toolResult?.content ?? 'no tool result').slice(0, 100),
	);
	const answer = String(nodeOutput(result.run, 'AI Agent')?.[0]?.json?.output ?? '');
	checks.ok(
		'the agent answers with what the tool read',
		answer.includes(qian.surname),
		answer.slice(0, 100),
	);
}

async function tokenRenewal({ folder, emulator, fixture, fields, credentials, workflows }) {
	const before = (await folder.exportCredential(credentials.ocr.id)).data.iamToken;
	checks.ok(
		'the credential stores the IAM token',
		typeof before === 'string' && before !== '',
		`${String(before).length} chars`,
	);
	emulator.expireTokens();
	const logStart = emulator.log.length;
	const loginsBefore = emulator.logins();
	const result = await timed('execute after expiry', () => folder.execute(workflows.batch.id));
	checkRunSucceeded('batch after expiry', result);
	checkRead(
		'row 1 after expiry',
		nodeOutput(result.run, 'Read passport')?.[0],
		fixture('china-qian'),
		fields,
	);
	const calls = emulator.log.slice(logStart);
	const first = calls.find((entry) => entry.kind === 'ocr');
	checks.equal(
		'the first OCR call is refused (401 APIG.0307)',
		[first?.status, first?.errorCode],
		[401, 'APIG.0307'],
	);
	// The node asks n8n for every answer as it is (no 401 reaches n8n's own renewal), so every release signs in
	// once for the whole run.
	checks.equal('signed in again once for the whole run', emulator.logins() - loginsBefore, 1);
	const after = (await folder.exportCredential(credentials.ocr.id)).data.iamToken;
	checks.ok(
		'the credential now stores the new token',
		typeof after === 'string' && after !== '' && after !== before,
	);
}

/** A PDF whose scan is a 12 MP photo stored as Flate pixels: converted, fitted to the limits, sent once. */
async function flatePhotoPdf({ folder, emulator, workflows }) {
	const callsBefore = emulator.log.filter((entry) => entry.kind === 'ocr').length;
	// The CLI logs the whole run, and in memory mode (n8n 1.x's default) that holds the 30 MB PDF more than once:
	// n8n 1.x exits before its logger has written those 59 MB, so the run it prints is cut off. On disk the run
	// holds file references, and the node reads the file through the same binary helpers.
	const result = await timed('execute Flate photo PDF', () =>
		folder.execute(workflows.flatePdf.id, { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' }),
	);
	checkRunSucceeded('Flate photo PDF', result);
	const calls = emulator.log.filter((entry) => entry.kind === 'ocr').length - callsBefore;
	checks.equal('one image was sent to the service', calls, 1);
	// The test photo holds no passport: the service's answer for that sends the item to Needs Review.
	const [item] = nodeOutput(result.run, 'Read passport', 1) ?? [];
	checks.equal(
		'the item says the scan was sent at half size',
		item?.json?.pdf_note,
		'The scan on page 1 is 4000 × 3000 px, too large for the service as it is stored, so it was sent at 1/2 size (2000 × 1500 px)',
	);
	checks.equal(
		'and names the page',
		[item?.json?.pdf_page, item?.json?.error_code],
		[1, 'AIS.0104'],
	);
}

async function strictFailure({ folder, credentials, workflows }) {
	const result = await timed('execute wrong password', () => folder.execute(workflows.strict.id));
	const message = runError(result.run) ?? '';
	const error = result.run?.data?.resultData?.error ?? {};
	if (process.env.E2E_DUMP_ERRORS) console.log(JSON.stringify(error, null, 1));
	checks.ok('n8n execute exits non-zero', result.code !== 0, `exit ${result.code}`);
	const detail = `${message} (${error.httpCode ?? '-'}: ${error.description ?? ''})`;
	checks.ok('the run fails with the sign-in message', /Sign-in failed/.test(message), detail);
	checks.ok(
		"the password appears nowhere in n8n's output",
		!result.output.includes(credentials.wrongPassword.data.password),
	);
}

/**
 * The multi-file form example in a real n8n server: published, then a real multipart submission with two
 * passports (and the form's email); the example's CRM step must receive one traveller per passport, in file order.
 */
async function multiFileForm({ folder, crm, fixture, workflows }) {
	const workflow = workflows.formUploads;
	await folder.cliOrThrow(['update:workflow', `--id=${workflow.id}`, '--active=true']);
	const started = performance.now();
	const server = await startN8nServer(folder, {
		port: await freePort(),
		logFile: path.join(REPO_ROOT, 'artifacts', `n8n-form-uploads-${N8N_VERSION}.log`),
	});
	timings.push(`n8n server start ${secondsSince(started)} s`);
	const scan = (name, fileName) => ({ ...fixture(name), fileName });
	try {
		const form = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.formTrigger');
		const formUrl = `${server.url}/form/${form.webhookId}`;
		checks.ok('the published form is served', await waitUntilServed(formUrl, 60_000), formUrl);
		const submitted = await submitForm(formUrl, [
			['field-0', 'family@example.com'],
			['field-1', scan('utopia-eriksson', 'anna.jpg')],
			['field-1', scan('china-qian', 'qian.jpg')],
		]);
		checks.ok(
			'the form accepts a submission with two passports',
			submitted.status === 200,
			`HTTP ${submitted.status}: ${submitted.text.slice(0, 120)}`,
		);
		const received = () => crm.requests.filter((request) => request.path === '/api/travellers');
		await waitFor(() => received().length >= 2, 60_000);
		const number = (name) => fixture(name).result.passport_number.trim();
		checks.equal(
			'one traveller per passport reaches the CRM, in file order, each naming its file',
			received().map(({ body }) => [body.email, body.last_name, body.passport_number, body.scan]),
			[
				['family@example.com', 'ERIKSSON', number('utopia-eriksson'), 'Passports_0'],
				['family@example.com', 'QIAN', number('china-qian'), 'Passports_1'],
			],
		);
	} finally {
		await server.stop();
	}
}

/** Execution Logic v2: the files in the item's JSON (a list, under `_files`), read with the default field. */
async function executionLogicV2({ folder, fixture, fields, workflows }) {
	const result = await timed('execute v2', () => folder.execute(workflows.logicV2.id));
	checkRunSucceeded('Execution Logic v2', result);
	const read = nodeOutput(result.run, 'Read passports') ?? [];
	checks.equal(
		'one item per file in the JSON, in order, each linked to the one input item and naming its path',
		read.map((item) => [item.pairedItem, item.json.binary_field]),
		[
			[{ item: 0 }, 'scans[0]._files.data'],
			[{ item: 0 }, 'scans[1]._files.data'],
		],
	);
	checkRead('file 1', read[0], fixture('utopia-eriksson'), fields);
	checkRead('file 2', read[1], fixture('china-qian'), fields);
	const kept = read.map((item) => Object.keys(item.json._files ?? item.binary ?? {}));
	checks.equal('each item carries only its own file (Keep Input Binary)', kept, [
		['scans_0__files_data'],
		['scans_1__files_data'],
	]);
}

/** A real n8n server on the same user folder, and the Test button's route against good and bad upstreams. */
async function credentialTestButton({ folder, emulator, credentials }) {
	const started = performance.now();
	const server = await startN8nServer(folder, {
		port: await freePort(),
		logFile: path.join(REPO_ROOT, 'artifacts', `n8n-credential-test-${N8N_VERSION}.log`),
	});
	timings.push(`n8n server start ${secondsSince(started)} s`);
	try {
		await timed('credential test route', () =>
			checkCredentialTestRoute({ checks, server, emulator, credential: credentials.ocr }),
		);
	} finally {
		await server.stop();
	}
}

async function main() {
	const started = performance.now();
	console.log(
		`e2e: n8n ${N8N_VERSION}${BINARY_MODE ? `, binary data mode ${BINARY_MODE}` : ''}; preparing (n8n runtime, build, pack, emulator)`,
	);
	const ctx = await prepare();
	try {
		await checks.group('Install the packed package, import credentials and examples', () =>
			installAndImport(ctx),
		);
		await checks.group('Batch example: URLs from a list, Continue On Fail', () =>
			batchExample(ctx),
		);
		await checks.group('Form example (runnable twin): binary upload, checks, CRM or email', () =>
			formExample(ctx),
		);
		await checks.group(
			'Multi-file form example in a real server: a real submission with two passports',
			() => multiFileForm(ctx),
		);
		if (HAS_EXECUTION_LOGIC_V2) {
			await checks.group('Execution Logic v2: files inside the item JSON', () =>
				executionLogicV2(ctx),
			);
		}
		await checks.group('AI agent example (runnable twin): the node as a tool', () =>
			agentExample(ctx),
		);
		await checks.group('Token renewal after expiry', () => tokenRenewal(ctx));
		await checks.group('A failure without Continue On Fail', () => strictFailure(ctx));
		await checks.group('A PDF whose scan is a 12 MP photo stored as Flate pixels', () =>
			flatePhotoPdf(ctx),
		);
		await checks.group("The credential's Test button through the editor's route", () =>
			credentialTestButton(ctx),
		);
	} finally {
		await ctx.emulator.close();
		await ctx.crm.close();
		await ctx.smtp.close();
		await ctx.chatModel.close();
		if (checks.failed === 0) ctx.folder.remove();
		else console.log(`\nn8n user folder kept for a look: ${ctx.folder.folder}`);
	}
	console.log(`\ntimings: ${timings.join(', ')}; total ${secondsSince(started)} s`);
}

/** Runs this script once per supported n8n release, one after the other, and sums up. */
async function allVersions() {
	const script = fileURLToPath(import.meta.url);
	const passThrough = process.argv.slice(2).filter((arg, i, all) => {
		if (arg === '--n8n' || arg.startsWith('--n8n=')) return false;
		return all[i - 1] !== '--n8n';
	});
	const results = [];
	for (const { version } of SUPPORTED_N8N) {
		const start = performance.now();
		const lines = [];
		const code = await new Promise((resolve) => {
			const child = spawn(process.execPath, [script, '--n8n', version, ...passThrough], {
				stdio: ['ignore', 'pipe', 'inherit'],
			});
			child.stdout.on('data', (chunk) => {
				process.stdout.write(chunk);
				lines.push(chunk.toString());
			});
			child.on('exit', (exitCode) => resolve(exitCode ?? 1));
		});
		const tally = /e2e: (\d+) passed, (\d+) failed/.exec(
			lines.join('').split('\n').reverse().join('\n'),
		);
		results.push({
			version,
			code,
			passed: Number(tally?.[1] ?? 0),
			failed: Number(tally?.[2] ?? (code === 0 ? 0 : 1)),
			seconds: secondsSince(start),
		});
	}
	console.log('\ne2e per n8n release:');
	for (const r of results) {
		console.log(
			`  n8n ${r.version}: ${r.passed} passed, ${r.failed} failed, ${r.seconds} s (exit ${r.code})`,
		);
	}
	const passed = results.reduce((n, r) => n + r.passed, 0);
	const failed = results.reduce(
		(n, r) => n + r.failed + (r.code !== 0 && r.failed === 0 ? 1 : 0),
		0,
	);
	console.log(`\ne2e (all releases): ${passed} passed, ${failed} failed`);
	process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

const requested = requestedN8nVersion();
if (requested === undefined || requested === 'all') {
	await allVersions();
} else {
	try {
		await main();
	} catch (error) {
		checks.fail('e2e run', error instanceof Error ? (error.stack ?? error.message) : String(error));
	}
	checks.finish();
}
