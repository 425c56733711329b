#!/usr/bin/env node
/**
 * `npm run e2e:queue`: the packed package in a real n8n 2.x running in queue mode (a main instance,
 * Redis, PostgreSQL and two workers, all on loopback) against the service emulator. Publishes a
 * webhook workflow, sends a burst of webhook calls (passport uploads and links) at once, expires
 * the IAM tokens in the middle of it, and checks results, worker split, database binary mode,
 * sign-ins and secrets. Starts and stops everything itself.
 * Ends with `e2e-queue: N passed, N failed`.
 *
 * Options:
 *   --calls=60 --follow-up=10 --workers=2 --concurrency=10 --latency-ms=200
 *   --single          the same burst on one n8n process in regular mode (the baseline figures)
 *   --tarball=<file>  install this package instead of building and packing the working tree
 *   --keep            keep the run folder (logs, user folders, database) even when all passed
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Checks } from '../e2e/lib/checks.mjs';
import { emulatorCredential } from '../e2e/lib/credentials.mjs';
import { compileEmulator, loadEmulator } from '../e2e/lib/emulator.mjs';
import { buildAndPack } from '../e2e/lib/package.mjs';
import { REPO_ROOT, secondsSince } from '../e2e/lib/process.mjs';
import { ensureRuntime } from '../e2e/lib/runtime.mjs';
import { expectedPassportFields } from '../e2e/lib/specimenFields.mjs';
import { EXAMPLES_DIR, NODE_TYPE, OCR_CREDENTIAL_TYPE } from '../e2e/lib/workflows.mjs';
import { percentile, planCalls, sendBurst } from './lib/burst.mjs';
import { ensureRedisAndPostgres } from './lib/debianPackages.mjs';
import { deployQueueMode, deploySingleProcess } from './lib/deployment.mjs';
import {
	binaryRows,
	executionsByWorker,
	nodeItems,
	peakParallelism,
	readExecutions,
	waitForFinishedExecutions,
} from './lib/executions.mjs';
import { breakingChangesReport, runManually, signIn } from './lib/manualRun.mjs';
import { Teardown } from './lib/teardown.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const WORKFLOW_FILE = path.join(HERE, 'passport-webhook.json');
const WEBHOOK_NODE = 'Passport in';
const READ_NODES = { upload: 'Read upload', link: 'Read link' };
/** The whole run, setup and teardown included, must end within this. */
const WATCHDOG_MS = 25 * 60_000;
/** How long after the last answer the executions may take to be recorded as finished. */
const RECORDING_TIMEOUT_MS = 60_000;

function option(name, fallback) {
	const arg = process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
	if (arg === undefined) return fallback;
	if (typeof fallback === 'boolean') return true;
	if (typeof fallback === 'string') return path.resolve(arg.split('=')[1] ?? '');
	const value = Number(arg.split('=')[1]);
	if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} needs a whole number`);
	return value;
}

const settings = {
	calls: option('calls', 60),
	followUp: option('follow-up', 10),
	workers: option('workers', 2),
	concurrency: option('concurrency', 10),
	// As bench/runBench.ts, so that the figures stand beside the benchmark's.
	latencyMs: option('latency-ms', 200),
	single: option('single', false),
	tarball: option('tarball', ''),
	keep: option('keep', false),
};

const checks = new Checks('e2e-queue');
const teardown = new Teardown();
const figures = {};
const log = (line) => console.log(`e2e-queue: ${line}`);

/** The node's simplified fields for a specimen: as recorded, trimmed, null when nothing was read; MRZ-filled. */
const expectedFields = (fixture, contract) =>
	expectedPassportFields(fixture, contract.PASSPORT_FIELDS);

const fieldsOf = (json, contract) =>
	Object.fromEntries(contract.PASSPORT_FIELDS.map((field) => [field, json?.[field]]));

const sameFields = (json, fixture, contract) =>
	JSON.stringify(fieldsOf(json, contract)) === JSON.stringify(expectedFields(fixture, contract)) &&
	typeof json?.request_id === 'string' &&
	json.request_id.length > 0;

const signInsIn = (entries) => entries.filter((e) => e.kind === 'login').length;

/**
 * Expires every issued token once a third of the burst's OCR calls have succeeded, so that
 * executions are in flight with a token the service now rejects.
 * @returns `{ stop(), expiredAtLogIndex, expiredAt }`
 */
function expireTokensMidBurst(emulator, from, afterSuccesses) {
	const state = { expiredAtLogIndex: undefined, expiredAt: undefined };
	const timer = setInterval(() => {
		const ok = emulator.log.slice(from).filter((e) => e.kind === 'ocr' && e.status === 200).length;
		if (ok < afterSuccesses) return;
		emulator.expireTokens();
		state.expiredAtLogIndex = emulator.log.length;
		state.expiredAt = performance.now();
		clearInterval(timer);
	}, 5);
	state.stop = () => clearInterval(timer);
	return state;
}

/** Debian packages first, so that on a clean machine the runtime setup finds apt's lists fresh. */
async function prepare() {
	if (!settings.single) {
		const installed = await ensureRedisAndPostgres(log);
		if (installed.length) log(`installed ${installed.join(', ')} from Debian`);
	}
	await ensureRuntime({ browser: false, log: (line) => log(`setup: ${line}`) });
	await compileEmulator();
	return settings.tarball || buildAndPack();
}

async function deploy(runDir, tarball, emulator, account) {
	const credential = emulatorCredential(emulator, account);
	const workflow = JSON.parse(readFileSync(WORKFLOW_FILE, 'utf8'));
	const options = {
		runDir,
		tarball,
		credential,
		workflow,
		workflowFile: WORKFLOW_FILE,
		webhookNode: WEBHOOK_NODE,
		workers: settings.workers,
		concurrency: settings.concurrency,
		teardown,
		note: (name, detail) => checks.pass(name, detail),
	};
	const deployment = settings.single
		? await deploySingleProcess(options)
		: await deployQueueMode(options);
	const readNodes = deployment.stored.nodes.filter((node) => node.type === NODE_TYPE);
	checks.ok(
		'both read nodes of the stored workflow use the imported credential (resolved by name)',
		readNodes.length === 2 &&
			readNodes.every((node) => node.credentials?.[OCR_CREDENTIAL_TYPE]?.id === credential.id),
		readNodes
			.map((node) => `${node.name} -> ${node.credentials?.[OCR_CREDENTIAL_TYPE]?.id}`)
			.join('; '),
	);
	if (deployment.postgres) {
		const hooks = await deployment.postgres.queryJson(
			`SELECT "webhookPath", method FROM webhook_entity WHERE "workflowId" = '${workflow.id}'`,
		);
		checks.equal('the main instance registered the production webhook', hooks, [
			{ webhookPath: new URL(deployment.webhookUrl).pathname.split('/').pop(), method: 'POST' },
		]);
	}
	return { ...deployment, credential, workflow };
}

function checkAnswers(label, answers, contract) {
	const wrong = answers.filter(
		(a) => a.status !== 200 || !sameFields(a.body, a.call.fixture, contract),
	);
	checks.ok(
		`${label}: all ${answers.length} calls answered 200 with the specimen's fields`,
		wrong.length === 0,
		wrong.length === 0
			? `p50 ${percentile(answers, 50).toFixed(0)} ms, p95 ${percentile(answers, 95).toFixed(0)} ms`
			: wrong
					.slice(0, 5)
					.map(
						(a) =>
							`${a.call.reference} (${a.call.kind}): ${a.status} ${a.error ?? a.text.slice(0, 200)}`,
					)
					.join('\n'),
	);
}

/** Matches each stored execution to its call by the `reference` the webhook received. */
function checkExecutions(executions, calls, contract) {
	const byReference = new Map(calls.map((call) => [call.reference, call]));
	const problems = [];
	for (const execution of executions) {
		const reference = nodeItems(execution.run, WEBHOOK_NODE)[0]?.json?.body?.reference;
		const call = byReference.get(reference);
		if (!call) {
			problems.push(`execution ${execution.id}: no call with reference ${reference}`);
			continue;
		}
		byReference.delete(reference);
		const read = nodeItems(execution.run, READ_NODES[call.kind])[0];
		if (execution.status !== 'success' || execution.mode !== 'webhook') {
			problems.push(
				`execution ${execution.id} (${reference}): ${execution.status}, ${execution.mode}`,
			);
		} else if (!sameFields(read?.json, call.fixture, contract)) {
			problems.push(`execution ${execution.id} (${reference}): ${JSON.stringify(read?.json)}`);
		}
	}
	for (const reference of byReference.keys()) problems.push(`${reference}: no execution`);
	checks.ok(
		`${calls.length} executions stored, each status success (mode webhook) with the right fields`,
		executions.length === calls.length && problems.length === 0,
		problems.length ? problems.slice(0, 8).join('\n') : `${executions.length} executions`,
	);
}

function checkDatabaseBinaryMode(executions, binaries, uploads) {
	const files = executions
		.map((e) => nodeItems(e.run, WEBHOOK_NODE)[0]?.binary?.passport)
		.filter((binary) => binary !== undefined);
	checks.ok(
		'uploads: the webhook stored each file in database binary mode (id "database:...", no bytes in the run data)',
		files.length === uploads &&
			files.every((file) => /^database:/.test(file.id ?? '') && file.data === 'database'),
		`${files.length} files; e.g. ${JSON.stringify(files[0] ? { id: files[0].id, data: files[0].data } : null)}`,
	);
	const stored = binaries.find((row) => row.sourceType === 'execution')?.files ?? 0;
	checks.ok(
		'binary_data holds the uploaded files in PostgreSQL, where the workers read them',
		stored >= uploads,
		JSON.stringify(binaries),
	);
}

function checkWorkerSplit(executions, workers) {
	const { owner, duplicates } = executionsByWorker(workers);
	const split = Object.fromEntries(workers.map((worker) => [worker.name, 0]));
	for (const execution of executions) {
		execution.worker = owner.get(execution.id) ?? 'none';
		if (execution.worker !== 'none') split[execution.worker]++;
	}
	const unowned = executions.filter((e) => e.worker === 'none').map((e) => e.id);
	checks.ok(
		'every execution ran on exactly one worker, none on main',
		unowned.length === 0 && duplicates.length === 0,
		unowned.length || duplicates.length
			? `no worker: ${unowned.join(' ')}; two workers: ${duplicates.join(' ')}`
			: JSON.stringify(split),
	);
	checks.ok(
		`executions ran on all ${workers.length} workers`,
		Object.values(split).every((n) => n > 0),
		JSON.stringify(split),
	);
	const peak = peakParallelism(executions);
	checks.ok(
		'executions of the same workflow ran on different workers at the same time',
		peak.bothAtOnce,
		`peak ${peak.overall} at once; per worker ${JSON.stringify(peak.perWorker)}`,
	);
	return { split, peak };
}

function checkSignIns(burstLog, expiry, calls) {
	const cut = expiry.expiredAtLogIndex ?? burstLog.length;
	const before = signInsIn(burstLog.slice(0, cut));
	const after = signInsIn(burstLog.slice(cut));
	const rejected = burstLog
		.slice(cut)
		.filter((e) => e.kind === 'ocr' && e.status === 401 && e.errorCode === 'APIG.0307').length;
	checks.ok(
		'tokens expired mid-burst: calls in flight were rejected (401 APIG.0307), signed in again and resent',
		expiry.expiredAtLogIndex !== undefined && rejected > 0,
		`${rejected} calls rejected after the expiry`,
	);
	// An execution that finds no valid token signs in; executions do not wait for each other across
	// processes. So per token lifetime there is at most one sign-in per execution slot (workers x
	// concurrency).
	const slots = settings.single ? calls : settings.workers * settings.concurrency;
	checks.ok(
		`sign-ins bounded: at most one per execution slot (${slots}) per token, fewer than executions`,
		before <= slots && after <= slots && before + after < calls,
		`${before + after} sign-ins for ${calls} executions: ${before} at the cold start, ${after} after the expiry`,
	);
	return { total: before + after, before, after, rejected };
}

async function runBurst(deployment, emulator, contract, fixtures) {
	const calls = planCalls({
		count: settings.calls,
		prefix: 'burst',
		fixtures,
		fileUrl: (file) => emulator.fileUrl(file),
	});
	const from = emulator.log.length;
	const expiry = expireTokensMidBurst(emulator, from, Math.ceil(settings.calls / 3));
	const burst = await sendBurst(deployment.webhookUrl, calls);
	expiry.stop();
	if (expiry.expiredAtLogIndex !== undefined) expiry.expiredAtLogIndex -= from;
	checkAnswers('burst', burst.answers, contract);
	const seconds = (burst.ended - burst.started) / 1000;
	Object.assign(figures, {
		calls: calls.length,
		burstSeconds: Number(seconds.toFixed(2)),
		executionsPerSecond: Number((calls.length / seconds).toFixed(1)),
		p50Ms: Math.round(percentile(burst.answers, 50)),
		p95Ms: Math.round(percentile(burst.answers, 95)),
		expiredAfterSeconds: Number(((expiry.expiredAt - burst.started) / 1000).toFixed(2)),
	});
	if (deployment.postgres) {
		const { postgres, workers, workflow } = deployment;
		await waitForFinishedExecutions(postgres, workflow.id, calls.length, RECORDING_TIMEOUT_MS);
		const executions = await readExecutions(postgres, workflow.id);
		checkExecutions(executions, calls, contract);
		const uploads = calls.filter((call) => call.kind === 'upload').length;
		checkDatabaseBinaryMode(executions, await binaryRows(postgres), uploads);
		Object.assign(figures, checkWorkerSplit(executions, workers));
		const starts = executions.map((e) => e.startedAt);
		const stops = executions.map((e) => e.stoppedAt);
		figures.executionSpanSeconds = Number(
			((Math.max(...stops) - Math.min(...starts)) / 1000).toFixed(2),
		);
	}
	const burstLog = emulator.log.slice(from);
	figures.signIns = checkSignIns(burstLog, expiry, calls.length);
	figures.ocrCalls = burstLog.filter((e) => e.kind === 'ocr').length;
	return burst.answers;
}

async function runFollowUp(deployment, emulator, contract, fixtures) {
	const calls = planCalls({
		count: settings.followUp,
		prefix: 'follow-up',
		fixtures,
		fileUrl: (file) => emulator.fileUrl(file),
	});
	const from = emulator.log.length;
	const { answers } = await sendBurst(deployment.webhookUrl, calls);
	checkAnswers('follow-up', answers, contract);
	figures.followUpSignIns = signInsIn(emulator.log.slice(from));
	checks.equal(
		'follow-up: no sign-in (every execution on every worker reuses the token stored in the credential)',
		figures.followUpSignIns,
		0,
	);
	return answers;
}

/** Manual Trigger -> Passport OCR on a URL: what a user builds in the editor and runs with "Execute workflow". */
function manualWorkflow(credential, imageUrl) {
	return {
		id: 'pOcrQueueManual1',
		name: 'Passport OCR: manual run in queue mode (e2e)',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: 'c0ffee00-0000-4000-8000-000000000001',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'c0ffee00-0000-4000-8000-000000000002',
				name: 'Read passport',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters: { inputSource: 'url', imageUrl, options: {} },
				credentials: { [OCR_CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
			},
		],
		connections: { Start: { main: [[{ node: 'Read passport', type: 'main', index: 0 }]] } },
	};
}

/**
 * n8n 3.0 always runs manual executions on workers in queue mode; 2.x does so with
 * OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true, which this deployment sets.
 */
async function runManualOnWorker(deployment, emulator, contract, fixtures) {
	const { main, mainFolder, workers, postgres, credential } = deployment;
	const fixture = fixtures.find((f) => f.name === 'china-qian');
	const workflow = manualWorkflow(credential, emulator.fileUrl('china-qian.jpg'));
	await mainFolder.importWorkflow(workflow);
	const cookie = await signIn(main.url);
	const executionId = await runManually(main.url, cookie, workflow.id, 'Start');
	checks.pass(
		'the owner signed in and started the workflow from the REST API',
		`execution ${executionId}`,
	);
	await waitForFinishedExecutions(postgres, workflow.id, 1, RECORDING_TIMEOUT_MS);
	const [execution] = await readExecutions(postgres, workflow.id);
	const read = nodeItems(execution?.run, 'Read passport')[0];
	checks.ok(
		"the manual execution succeeded (mode manual) with the specimen's fields",
		execution?.status === 'success' &&
			execution?.mode === 'manual' &&
			sameFields(read?.json, fixture, contract),
		`${execution?.status}, ${execution?.mode}, ${read?.json?.passport_number}`,
	);
	const { owner } = executionsByWorker(workers);
	checks.ok(
		'it ran on a worker, not on the main instance',
		owner.has(executionId),
		owner.get(executionId) ?? 'no worker logged it',
	);
}

/**
 * n8n 2.41's own report of what n8n 3.0 breaks, on an instance holding this package's workflows: the example
 * files, the webhook workflow and the manual one. No workflow rule may flag any of them; the instance rules that
 * apply to how this test deployment runs (npm instead of Docker, settings left at their defaults) are listed.
 */
async function checkV3Report(deployment, emulator) {
	const { main, mainFolder, credential } = deployment;
	await mainFolder.importWorkflowDirectory(EXAMPLES_DIR);
	// The control: the node with "Always Output Data" on, which 3.0 changes for nodes with several outputs. The
	// node's outputs are an expression (one, or two with Needs Review), so n8n counts it as a multi-output node.
	const control = manualWorkflow(credential, emulator.fileUrl('china-qian.jpg'));
	control.id = 'pOcrQueueAlways1';
	control.name = 'Passport OCR with Always Output Data (e2e control)';
	control.nodes[1].alwaysOutputData = true;
	await mainFolder.importWorkflow(control);
	const cookie = await signIn(main.url);
	const { workflowRules, instanceRules, currentVersion } = await breakingChangesReport(
		main.url,
		cookie,
		'v3',
	);
	checks.equal(
		`n8n ${currentVersion}'s 3.0 report: no workflow rule flags the examples, the webhook or the manual workflow; the control is flagged`,
		workflowRules.map((r) => [r.ruleId, r.affected]),
		[['always-output-data-multi-output-v3', [control.name]]],
	);
	checks.pass(
		'instance rules flagged for this test deployment (about how n8n runs, not about the package)',
		instanceRules.map((r) => r.ruleId).join(', ') || 'none',
	);
}

/** Everything n8n wrote that a secret could leak into. */
async function checkSecrets(deployment, account, answers) {
	const { postgres, mainFolder, credential, main, workers } = deployment;
	const token = (await mainFolder.exportCredential(credential.id)).data.iamToken;
	checks.ok(
		'the credential stores an IAM token',
		typeof token === 'string' && token.length > 100,
		`${String(token).length} chars`,
	);
	const secrets = {
		password: account.password,
		// Every token the emulator issues starts with the same DER header, so this finds earlier tokens
		// too.
		'a token': String(token).slice(0, 28),
		'the stored token': String(token).slice(200, 260),
	};
	const places = {
		'main log': readFileSync(main.logFile, 'utf8'),
		'webhook answers': answers.map((a) => a.text).join('\n'),
	};
	if (workers.length) {
		places['worker logs'] = workers.map((w) => readFileSync(w.logFile, 'utf8')).join('\n');
	}
	if (postgres) {
		places['execution data'] = await postgres.query(
			`SELECT string_agg(data || "workflowData"::text, '') FROM execution_data`,
		);
		places['credential row (encrypted at rest)'] = await postgres.query(
			`SELECT string_agg(data, '') FROM credentials_entity`,
		);
	}
	for (const [place, text] of Object.entries(places)) {
		const found = Object.entries(secrets)
			.filter(([, value]) => value !== '' && text.includes(value))
			.map(([name]) => name);
		checks.ok(
			`no secret in the ${place}`,
			found.length === 0,
			found.length ? `found ${found.join(', ')}` : `${text.length} chars searched`,
		);
	}
}

async function main(runDir) {
	const started = performance.now();
	log(
		`preparing (n8n runtime, Debian packages, build, pack, emulator); ${JSON.stringify(settings)}`,
	);
	const tarball = await prepare();
	const { startEmulator, DEFAULT_ACCOUNT, FIXTURES } = loadEmulator();
	const contract = createRequire(import.meta.url)(
		path.join(REPO_ROOT, 'build-test', 'nodes', 'PassportOcr', 'contract', 'passportApi.js'),
	);
	const emulator = await startEmulator({ latencyMs: settings.latencyMs });
	teardown.add('emulator', {
		stop: async () => {
			writeFileSync(path.join(runDir, 'emulator-log.json'), JSON.stringify(emulator.log, null, 1));
			await emulator.close();
		},
	});
	figures.prepareSeconds = Number(secondsSince(started));

	let deployment;
	const title = settings.single
		? 'Single process: one n8n in regular mode, SQLite, the community package'
		: 'Queue mode: PostgreSQL, Redis, main, workers, the community package on each';
	await checks.group(title, async () => {
		const deployStart = performance.now();
		deployment = await deploy(runDir, tarball, emulator, DEFAULT_ACCOUNT);
		figures.deploySeconds = Number(secondsSince(deployStart));
	});
	if (!deployment) return;
	let answers = [];
	await checks.group(
		`Burst: ${settings.calls} webhook calls at once, tokens expired mid-burst`,
		async () => {
			answers = await runBurst(deployment, emulator, contract, FIXTURES);
		},
	);
	if (settings.followUp > 0) {
		await checks.group(`Follow-up: ${settings.followUp} more calls`, async () => {
			answers = answers.concat(await runFollowUp(deployment, emulator, contract, FIXTURES));
		});
	}
	if (!settings.single) {
		await checks.group(
			'Manual execution in queue mode (OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true, as in n8n 3.0)',
			() => runManualOnWorker(deployment, emulator, contract, FIXTURES),
		);
	}
	if (!settings.single) {
		await checks.group("n8n 3.0 readiness: n8n's own breaking-change report (v3)", () =>
			checkV3Report(deployment, emulator),
		);
	}
	await checks.group('Secrets', () => checkSecrets(deployment, DEFAULT_ACCOUNT, answers));
}

function printFigures(totalSeconds) {
	const f = figures;
	const where = settings.single
		? 'one n8n process (regular mode)'
		: `queue mode, ${settings.workers} workers x concurrency ${settings.concurrency}`;
	console.log(`\nfigures (${where}; emulator latency ${settings.latencyMs} ms per OCR call):`);
	if (f.calls !== undefined) {
		const span = f.executionSpanSeconds
			? ` (first start to last stop ${f.executionSpanSeconds} s)`
			: '';
		console.log(
			`  burst: ${f.calls} executions in ${f.burstSeconds} s = ${f.executionsPerSecond} executions/s${span}; ` +
				`answer p50 ${f.p50Ms} ms, p95 ${f.p95Ms} ms`,
		);
	}
	if (f.split) {
		console.log(
			`  worker split: ${JSON.stringify(f.split)}; most at once ${f.peak.overall} ${JSON.stringify(f.peak.perWorker)}`,
		);
	}
	if (f.signIns) {
		console.log(
			`  sign-ins: ${f.signIns.total} for ${f.calls} executions (${f.signIns.before} at the cold start, ` +
				`${f.signIns.after} after the tokens expired at ${f.expiredAfterSeconds} s, when ${f.signIns.rejected} ` +
				`calls were rejected); OCR calls ${f.ocrCalls}; follow-up sign-ins ${f.followUpSignIns ?? '-'}`,
		);
	}
	console.log(
		`  wall time: prepare ${f.prepareSeconds ?? '-'} s, deploy ${f.deploySeconds ?? '-'} s, whole script ${totalSeconds} s`,
	);
}

const scriptStart = performance.now();
const runDir = mkdtempSync(path.join(tmpdir(), 'passport-ocr-queue-'));

async function abort(name, detail) {
	checks.fail(name, detail);
	await teardown.stopAll();
	console.log(`\nrun folder kept (logs, user folders, database): ${runDir}`);
	checks.finish();
	process.exit(1);
}

teardown.handleSignals((signal) => {
	checks.fail('interrupted', `${signal}; everything stopped; run folder kept: ${runDir}`);
	checks.finish();
});
const watchdog = setTimeout(
	() =>
		abort('watchdog', `the run took longer than ${WATCHDOG_MS / 60_000} min; stopping everything`),
	WATCHDOG_MS,
);
process.once('uncaughtException', (error) =>
	abort('uncaught exception', error.stack ?? String(error)),
);
process.once('unhandledRejection', (error) =>
	abort('unhandled rejection', String(error?.stack ?? error)),
);

try {
	await main(runDir);
} catch (error) {
	checks.fail(
		'e2e-queue run',
		error instanceof Error ? (error.stack ?? error.message) : String(error),
	);
}
const alive = await teardown.stopAll();
clearTimeout(watchdog);
checks.ok(
	'teardown: nothing left running',
	alive.length === 0,
	alive.length ? `still alive: ${alive.join(', ')}` : 'all stopped',
);
printFigures(secondsSince(scriptStart));
if (checks.failed === 0 && !settings.keep) rmSync(runDir, { recursive: true, force: true });
else console.log(`\nrun folder kept (logs, user folders, database, emulator log): ${runDir}`);
checks.finish();
