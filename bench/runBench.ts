/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * `npm run bench` (through bench/run.mjs): throughput, sign-ins and memory of the node against the emulator,
 * then a run under the service's rate limit. Each run gets a fresh service process and a fresh node process;
 * the table goes to stdout and the figures to bench/results/bench-<time>.json.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { ImageSetSpec } from './benchImages';
import type {
	ScenarioCommand,
	ScenarioMessage,
	ScenarioResult,
	ScenarioSpec,
	ServiceCommand,
	ServiceMessage,
	ServiceSpec,
	ServiceStats,
} from './messages';

const LATENCY_MS = 200;
const ITEMS = 500;
const CONCURRENCIES = [1, 4, 8, 16, 32];
/** The filesystem-mode row (n8n 2.x's default), beside the memory-mode rows (n8n 1.x's default). */
const FILESYSTEM_CONCURRENCY = 16;
/** The floors' rows (bench/bareClientNode.ts), beside ours where the targets are set. */
const FLOOR_CONCURRENCIES = [8, 16, 32];
const FLOORS = [
	{ node: 'floorNodeHttp', name: 'floor: Node http' },
	{ node: 'floorN8nHelper', name: "floor: n8n's request helper" },
] as const;
const IMAGES: ImageSetSpec = { count: 50, minBytes: 1_000_000, maxBytes: 2_000_000, seed: 9303 };
const RATE_LIMITED = { items: 300, perMinute: 120, concurrency: 8 };
const MB = 1024 * 1024;

/** Starts one of the bench's compiled processes (`serviceProcess`, `scenarioProcess`) with an IPC channel. */
export type Launch = (
	process: 'serviceProcess' | 'scenarioProcess',
	argument: string,
	nodeOptions: string[],
) => ChildProcess;

interface Measured extends ScenarioResult {
	node: ScenarioSpec['node'];
	binaryMode: ScenarioSpec['binaryMode'];
	concurrency: number;
	service: ServiceStats;
}

function nextMessage<T>(
	child: ChildProcess,
	accept: (message: unknown) => message is T,
): Promise<T> {
	return new Promise((resolve, reject) => {
		const onMessage = (message: unknown) => {
			if (!accept(message)) return;
			child.off('message', onMessage);
			resolve(message);
		};
		child.on('message', onMessage);
		child.once('exit', (code) => reject(new Error(`${child.spawnfile} exited with ${code}`)));
	});
}

const isType =
	<T extends ServiceMessage['type']>(type: T) =>
	(message: unknown): message is Extract<ServiceMessage, { type: T }> =>
		(message as { type?: unknown }).type === type;

const isScenario =
	<T extends ScenarioMessage['type']>(type: T) =>
	(message: unknown): message is Extract<ScenarioMessage, { type: T }> =>
		(message as { type?: unknown }).type === type;

const command = (child: ChildProcess, message: ServiceCommand) => {
	if (child.connected) child.send(message);
};

async function serviceStats(service: ChildProcess): Promise<ServiceStats> {
	const answer = nextMessage(service, isType('stats'));
	command(service, { type: 'stats' });
	const { logins, ocrCalls, peakInFlight, statuses, cpuMs } = await answer;
	return { logins, ocrCalls, peakInFlight, statuses, cpuMs };
}

/**
 * What the measured execution alone did at the service, the warm-up taken off. The warm-up runs at the same
 * concurrency, so the peak in flight is the measured run's too.
 */
function measuredPart(before: ServiceStats, after: ServiceStats): ServiceStats {
	const statuses = Object.fromEntries(
		Object.entries(after.statuses).map(([status, count]) => [
			status,
			count - (before.statuses[status] ?? 0),
		]),
	);
	return {
		logins: after.logins - before.logins,
		ocrCalls: after.ocrCalls - before.ocrCalls,
		peakInFlight: after.peakInFlight,
		statuses,
		cpuMs: after.cpuMs - before.cpuMs,
	};
}

interface Scenario {
	name: string;
	node: ScenarioSpec['node'];
	items: number;
	concurrency: number;
	binaryMode: ScenarioSpec['binaryMode'];
	rateLimitPerMinute?: number;
}

/**
 * `BENCH_ONLY` (parts of run names separated by `|`, e.g. "this node, concurrency 16|floor") runs only the runs
 * whose names hold one of them, and `BENCH_CPU_PROF` (a folder) writes a V8 CPU profile of each node and service
 * process there, for finding where time goes.
 */
const only = (process.env.BENCH_ONLY ?? '')
	.split('|')
	.map((part) => part.trim())
	.filter((part) => part !== '');
const selected = (name: string) => only.length === 0 || only.some((part) => name.includes(part));
const profileFolder = process.env.BENCH_CPU_PROF;
const profileOptions = profileFolder ? ['--cpu-prof', `--cpu-prof-dir=${profileFolder}`] : [];

async function measure(launch: Launch, scenario: Scenario): Promise<Measured> {
	const { name, items, concurrency, binaryMode, rateLimitPerMinute } = scenario;
	const serviceSpec: ServiceSpec = {
		responseTimeMs: LATENCY_MS,
		rateLimitPerMinute,
		images: IMAGES,
	};
	const service = launch('serviceProcess', JSON.stringify(serviceSpec), profileOptions);
	try {
		const ready = await nextMessage(service, isType('ready'));
		const spec: ScenarioSpec = {
			name,
			node: scenario.node,
			items,
			concurrency,
			binaryMode,
			...ready,
			images: IMAGES,
		};
		const node = launch('scenarioProcess', JSON.stringify(spec), profileOptions);
		await nextMessage(node, isScenario('warmed'));
		const before = await serviceStats(service);
		node.send({ type: 'go' } satisfies ScenarioCommand);
		const { result } = await nextMessage(node, isScenario('result'));
		const after = await serviceStats(service);
		const atService = measuredPart(before, after);
		return { ...result, node: scenario.node, binaryMode, concurrency, service: atService };
	} finally {
		command(service, { type: 'stop' });
	}
}

type ThroughputRow = ReturnType<typeof throughputRow>;

function throughputRow(run: Measured, floor: Measured | undefined) {
	const itemsPerSecond = run.items / (run.nodeMs / 1000);
	const idealItemsPerSecond = run.concurrency / (LATENCY_MS / 1000);
	return {
		name: run.name,
		items: run.items,
		concurrency: run.concurrency,
		seconds: run.nodeMs / 1000,
		itemsPerSecond,
		idealItemsPerSecond,
		shareOfIdeal: itemsPerSecond / idealItemsPerSecond,
		shareOfFloor: floor === undefined ? undefined : floor.nodeMs / run.nodeMs,
		logins: run.service.logins,
		peakInFlight: run.service.peakInFlight,
		nodeCpuMsPerItem: run.cpuMs / run.items,
		serviceCpuMsPerItem: run.service.cpuMs / run.items,
		peakRssGrowthMb: run.peakRssGrowthBytes / MB,
		rssBoundMb: (3 * run.concurrency * run.averageImageBytes) / MB + 64,
		failed: run.failed,
	};
}

/** Call k (from 0) cannot come before call k − limit has left the one-minute window. */
function minimumUnderLimit(items: number, perMinute: number, concurrency: number): number {
	const windows = Math.floor((items - 1) / perMinute);
	const lastSlice = items - windows * perMinute;
	return windows * 60_000 + Math.ceil(lastSlice / concurrency) * LATENCY_MS;
}

function rateLimitedRow(run: Measured) {
	const { items, perMinute, concurrency } = RATE_LIMITED;
	const minimumMs = minimumUnderLimit(items, perMinute, concurrency);
	return {
		items,
		perMinute,
		concurrency,
		seconds: run.nodeMs / 1000,
		minimumSeconds: minimumMs / 1000,
		ratio: run.nodeMs / minimumMs,
		failed: run.failed,
		throttledAnswers: run.service.statuses['429'] ?? 0,
		logins: run.service.logins,
		peakRssGrowthMb: run.peakRssGrowthBytes / MB,
	};
}

function table(header: string[], rows: string[][]): string {
	const widths = header.map((title, column) =>
		Math.max(title.length, ...rows.map((row) => row[column].length)),
	);
	const line = (cells: string[]) =>
		`| ${cells.map((cell, column) => cell.padStart(widths[column])).join(' | ')} |`;
	const rule = `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`;
	return [line(header), rule, ...rows.map(line)].join('\n');
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);

function throughputTable(rows: ThroughputRow[]): string {
	const header = ['run', 'time s', 'items/s', 'ideal/s', '% of ideal', "% of n8n's floor"];
	header.push('logins');
	header.push('in flight');
	header.push('node CPU ms/item', 'RSS growth MB', 'RSS bound MB', 'failed');
	return table(
		header,
		rows.map((row) => [
			row.name,
			fixed(row.seconds),
			fixed(row.itemsPerSecond),
			fixed(row.idealItemsPerSecond),
			fixed(row.shareOfIdeal * 100),
			row.shareOfFloor === undefined ? '' : fixed(row.shareOfFloor * 100),
			String(row.logins),
			String(row.peakInFlight),
			fixed(row.nodeCpuMsPerItem),
			fixed(row.peakRssGrowthMb, 0),
			fixed(row.rssBoundMb, 0),
			String(row.failed),
		]),
	);
}

function rateLimitedTable(row: ReturnType<typeof rateLimitedRow>): string {
	const header = ['rate-limited run', 'time s', 'minimum s', 'ratio', 'failed', '429 answers'];
	header.push('logins');
	const name = `${row.items} images, ${row.perMinute}/min, concurrency ${row.concurrency}`;
	return table(header, [
		[
			name,
			fixed(row.seconds),
			fixed(row.minimumSeconds),
			fixed(row.ratio, 3),
			String(row.failed),
			String(row.throttledAnswers),
			String(row.logins),
		],
	]);
}

/** The batch and per-image-cost targets; a target whose runs were not selected is left out. */
function targets(rows: ThroughputRow[], limited: ReturnType<typeof rateLimitedRow> | undefined) {
	const ours = rows.filter((row) => row.name.startsWith('this node'));
	const inMemory = ours.filter((row) => !row.name.endsWith('filesystem'));
	const share = (concurrency: number) =>
		inMemory.find((row) => row.concurrency === concurrency)?.shareOfIdeal;
	const met: Record<string, boolean> = {};
	const atLeast = (concurrency: number, part: number) => {
		const value = share(concurrency);
		if (value !== undefined)
			met[`at least ${part * 100}% of the ideal at concurrency ${concurrency}`] = value >= part;
	};
	atLeast(8, 0.95);
	atLeast(16, 0.92);
	atLeast(32, 0.92);
	const againstFloor = inMemory.filter((row) => row.shareOfFloor !== undefined);
	if (againstFloor.length > 0) {
		const widths = againstFloor.map((row) => row.concurrency).join(', ');
		met[`at least 95% of n8n's request-helper floor at concurrency ${widths}`] = againstFloor.every(
			(row) => (row.shareOfFloor ?? 0) >= 0.95,
		);
	}
	if (ours.length > 0) {
		met['node CPU at most 3 ms per image (memory mode, concurrency 4 and up)'] = inMemory
			.filter((row) => row.concurrency >= 4)
			.every((row) => row.nodeCpuMsPerItem <= 3);
		met['peak RSS growth under 3 × concurrency × image size + 64 MB'] = ours.every(
			(row) => row.peakRssGrowthMb < row.rssBoundMb,
		);
	}
	const logins = limited === undefined ? ours : [...ours, limited];
	met['one login per execution'] = logins.every((row) => row.logins === 1);
	if (limited !== undefined) {
		met['no failed item under the rate limit'] = limited.failed === 0;
		met['rate-limited run within 1.25 × the minimum'] = limited.ratio <= 1.25;
	}
	return met;
}

function resultsFile(): string {
	let dir = __dirname;
	while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
	const results = path.join(dir, 'bench', 'results');
	mkdirSync(results, { recursive: true });
	return path.join(results, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
}

function scenarios(): { throughput: Scenario[]; limited: Scenario } {
	const ours = (concurrency: number, binaryMode: Scenario['binaryMode']): Scenario => ({
		name: `this node, concurrency ${concurrency}${binaryMode === 'filesystem' ? ', filesystem' : ''}`,
		node: 'passportOcr',
		items: ITEMS,
		concurrency,
		binaryMode,
	});
	const { items, perMinute, concurrency } = RATE_LIMITED;
	return {
		throughput: [
			...CONCURRENCIES.map((width) => ours(width, 'memory')),
			ours(FILESYSTEM_CONCURRENCY, 'filesystem'),
			...FLOORS.flatMap((floor) =>
				FLOOR_CONCURRENCIES.map(
					(concurrency): Scenario => ({
						name: `${floor.name}, concurrency ${concurrency}`,
						node: floor.node,
						items: ITEMS,
						concurrency,
						binaryMode: 'memory',
					}),
				),
			),
			{
				name: 'one at a time (anchors)',
				node: 'oneAtATime',
				items: ITEMS,
				concurrency: 1,
				binaryMode: 'memory',
			},
		],
		limited: {
			name: `rate-limited: ${items} images under ${perMinute} calls a minute`,
			node: 'passportOcr',
			items,
			concurrency,
			binaryMode: 'memory',
			rateLimitPerMinute: perMinute,
		},
	};
}

async function measureAll(launch: Launch, log: (text: string) => void) {
	const runs: Measured[] = [];
	const { throughput, limited } = scenarios();
	for (const scenario of throughput.filter((run) => selected(run.name))) {
		log(`  running: ${scenario.name} …`);
		runs.push(await measure(launch, scenario));
	}
	if (!selected(limited.name)) return { runs, limited: undefined };
	log(`  running: ${limited.name} …`);
	return { runs, limited: await measure(launch, limited) };
}

export async function runBench(launch: Launch): Promise<void> {
	const log = (text: string) => process.stdout.write(`${text}\n`);
	const { minBytes, maxBytes } = IMAGES;
	log(
		`${ITEMS} images of ${minBytes / 1e6}–${maxBytes / 1e6} MB, service latency ${LATENCY_MS} ms`,
	);
	const loadBefore = os.loadavg();
	const { runs, limited } = await measureAll(launch, log);
	const floorOf = (run: Measured) =>
		run.node === 'passportOcr'
			? runs.find(
					(other) =>
						other.node === 'floorN8nHelper' &&
						other.concurrency === run.concurrency &&
						other.binaryMode === run.binaryMode,
				)
			: undefined;
	const rows = runs.map((run) => throughputRow(run, floorOf(run)));
	const rateLimited = limited === undefined ? undefined : rateLimitedRow(limited);
	const met = targets(rows, rateLimited);
	const limitedText = rateLimited === undefined ? '' : `\n\n${rateLimitedTable(rateLimited)}`;
	log(`\n${throughputTable(rows)}${limitedText}\n`);
	for (const [target, ok] of Object.entries(met)) log(`${ok ? 'met   ' : 'MISSED'}  ${target}`);

	const machine = {
		cpus: os.cpus().length,
		cpu: os.cpus()[0]?.model,
		node: process.version,
		loadAverageBefore: loadBefore,
		loadAverageAfter: os.loadavg(),
	};
	const settings = {
		latencyMs: LATENCY_MS,
		items: ITEMS,
		images: IMAGES,
		rateLimited: RATE_LIMITED,
	};
	const file = resultsFile();
	const figures = {
		date: new Date().toISOString(),
		machine,
		settings,
		throughput: rows,
		rateLimited,
	};
	writeFileSync(
		file,
		`${JSON.stringify({ ...figures, targets: met, runs: limited ? [...runs, limited] : runs }, null, 2)}\n`,
	);
	const load = machine.loadAverageAfter.map((value) => value.toFixed(2)).join(' ');
	log(
		`\nAverage image ${fixed(runs[0].averageImageBytes / MB, 2)} MB; load average after: ${load}`,
	);
	log(`Figures written to ${path.relative(process.cwd(), file)}`);
}
