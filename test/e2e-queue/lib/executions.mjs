/**
 * What n8n recorded, read back from its PostgreSQL database and its logs: executions
 * (`execution_entity`), their run data (`execution_data.data`, serialised with `flatted` by n8n),
 * binary files kept in database mode (`binary_data`), and which worker ran which execution (the
 * worker's "Worker started execution" log line).
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { logLines } from '../../e2e/lib/n8nCli.mjs';
import { RUNTIME_DIR } from '../../e2e/lib/runtime.mjs';

// n8n's own copy, so the format always matches the n8n that wrote it.
const flatted = createRequire(path.join(RUNTIME_DIR, 'node_modules', 'n8n', 'package.json'))(
	'flatted',
);

const FINISHED = ['success', 'error', 'crashed', 'canceled'];
const sqlText = (value) => `'${String(value).replace(/'/g, "''")}'`;

/** Executions of a workflow by status, e.g. `{ success: 60 }`. */
export async function statusCounts(postgres, workflowId) {
	const rows = await postgres.queryJson(
		`SELECT status, count(*)::int AS n FROM execution_entity WHERE "workflowId" = ${sqlText(workflowId)} GROUP BY status`,
	);
	return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

/**
 * Waits until `count` executions of the workflow have finished and none is still queued or running.
 * @returns the status counts at that point
 * @throws when that does not happen within `timeoutMs`
 */
export async function waitForFinishedExecutions(postgres, workflowId, count, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	let counts = {};
	while (Date.now() < deadline) {
		counts = await statusCounts(postgres, workflowId);
		const finished = FINISHED.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
		const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
		if (finished >= count && finished === total) return counts;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(
		`not all executions finished within ${timeoutMs / 1000} s: ${JSON.stringify(counts)}`,
	);
}

/**
 * Every execution of the workflow with its run data parsed.
 * @returns `[{ id, status, mode, startedAt, stoppedAt, run }]`, times in ms since the epoch
 */
export async function readExecutions(postgres, workflowId) {
	const rows = await postgres.queryJson(
		`SELECT e.id, e.status, e.mode, e."startedAt", e."stoppedAt", d.data AS "rawData"
		   FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id
		  WHERE e."workflowId" = ${sqlText(workflowId)} ORDER BY e.id`,
	);
	return rows.map(({ rawData, ...row }) => ({
		...row,
		id: String(row.id),
		startedAt: Date.parse(row.startedAt),
		stoppedAt: Date.parse(row.stoppedAt),
		run: flatted.parse(rawData),
	}));
}

/** Items a node put out on its first run, on its first output. */
export function nodeItems(run, nodeName) {
	return run?.resultData?.runData?.[nodeName]?.[0]?.data?.main?.[0] ?? [];
}

/** Binary files n8n keeps in the database for executions, counted by source type. */
export async function binaryRows(postgres) {
	return postgres.queryJson(
		`SELECT "sourceType", count(*)::int AS files, sum("fileSize")::int AS bytes FROM binary_data GROUP BY "sourceType"`,
	);
}

/** Execution ID → worker name, from each worker's log. */
export function executionsByWorker(workers) {
	const owner = new Map();
	const duplicates = [];
	for (const worker of workers) {
		for (const { message } of logLines(readFileSync(worker.logFile, 'utf8'))) {
			const match = /^Worker started execution (\d+)/.exec(message);
			if (!match) continue;
			if (owner.has(match[1])) duplicates.push(match[1]);
			owner.set(match[1], worker.name);
		}
	}
	return { owner, duplicates };
}

/**
 * The most executions running at one moment, overall and per worker, from stored start and stop.
 * @param executions `[{ startedAt, stoppedAt, worker }]`
 */
export function peakParallelism(executions) {
	const events = executions.flatMap((e) => [
		{ at: e.startedAt, delta: 1, worker: e.worker },
		{ at: e.stoppedAt, delta: -1, worker: e.worker },
	]);
	events.sort((a, b) => a.at - b.at || a.delta - b.delta);
	const running = new Map();
	const peak = { overall: 0, perWorker: {}, bothAtOnce: false };
	let total = 0;
	for (const { delta, worker } of events) {
		total += delta;
		running.set(worker, (running.get(worker) ?? 0) + delta);
		peak.overall = Math.max(peak.overall, total);
		peak.perWorker[worker] = Math.max(peak.perWorker[worker] ?? 0, running.get(worker));
		const busy = [...running.values()].filter((n) => n > 0).length;
		if (busy >= 2) peak.bothAtOnce = true;
	}
	return peak;
}
