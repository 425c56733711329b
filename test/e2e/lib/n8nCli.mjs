/**
 * One throwaway n8n user folder and the n8n CLI run against it: import credentials and workflows, execute a
 * workflow and read the run back. Logs are JSON lines (N8N_LOG_FORMAT=json) because `n8n execute` prints the run
 * through its logger, at level info.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { runCapture } from './process.mjs';
import { N8N_BIN, runtimeEnv } from './runtime.mjs';

/** Fixed so the folder's settings file and the imported secrets agree; it protects only test data. */
export const TEST_ENCRYPTION_KEY = 'passport-ocr-e2e-key';

export function n8nEnv(userFolder, extra = {}) {
	return runtimeEnv({
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_LOG_FORMAT: 'json',
		N8N_LOG_LEVEL: 'info',
		...extra,
	});
}

/** The JSON log lines of a CLI run, in order; other lines are kept as plain messages. */
export function logLines(text) {
	return text
		.split('\n')
		.filter((line) => line.trim() !== '')
		.map((line) => {
			try {
				const parsed = JSON.parse(line);
				if (parsed && typeof parsed.message === 'string') return parsed;
			} catch {
				// a line from a child process or a stack trace
			}
			return { level: 'raw', message: line };
		});
}

/** The run (IRun) that `n8n execute` logs, successful or not, or undefined if none was logged. */
export function findRun(lines) {
	for (const { message } of [...lines].reverse()) {
		if (!message.startsWith('{')) continue;
		try {
			const parsed = JSON.parse(message);
			if (parsed?.data?.resultData) return parsed;
		} catch {
			// not the run
		}
	}
	return undefined;
}

export class N8nUserFolder {
	constructor(folder, env = {}) {
		this.folder = folder;
		this.extraEnv = env;
		this.scratch = path.join(folder, 'scratch');
		mkdirSync(this.scratch, { recursive: true });
	}

	/** A new folder under the system temp dir; `remove()` deletes it. */
	static createTemporary(env) {
		return new N8nUserFolder(mkdtempSync(path.join(tmpdir(), 'passport-ocr-n8n-')), env);
	}

	get env() {
		return n8nEnv(this.folder, this.extraEnv);
	}

	/** Runs `n8n <args>`. @returns `{ code, stdout, stderr, lines }` */
	async cli(args, { timeoutMs = 120_000, env = {} } = {}) {
		const result = await runCapture(N8N_BIN, args, {
			env: { ...this.env, ...env },
			allowFailure: true,
			timeoutMs,
		});
		return { ...result, lines: logLines(`${result.stdout}\n${result.stderr}`) };
	}

	async cliOrThrow(args) {
		const result = await this.cli(args);
		if (result.code !== 0) {
			const tail = result.lines
				.slice(-8)
				.map((line) => line.message)
				.join('\n');
			throw new Error(`n8n ${args.join(' ')} exited with ${result.code}:\n${tail}`);
		}
		return result;
	}

	writeScratch(name, value) {
		const file = path.join(this.scratch, name);
		writeFileSync(file, JSON.stringify(value, null, 2));
		return file;
	}

	async importCredentials(credentials) {
		const file = this.writeScratch('credentials.json', credentials);
		return this.cliOrThrow(['import:credentials', `--input=${file}`]);
	}

	/** Imports one workflow from its own file, as a user imports an example file. */
	async importWorkflow(workflow, fileName = `${workflow.id}.json`) {
		const file = this.writeScratch(fileName, workflow);
		return this.cliOrThrow(['import:workflow', `--input=${file}`]);
	}

	/** Imports every workflow file in `directory` with one n8n process (`--separate`). */
	async importWorkflowDirectory(directory) {
		return this.cliOrThrow(['import:workflow', '--separate', `--input=${directory}`]);
	}

	/** Writes the workflows into a scratch folder of their own and imports them with one n8n process. */
	async importWorkflows(workflows, folderName = 'workflows') {
		const directory = path.join(this.scratch, folderName);
		mkdirSync(directory, { recursive: true });
		for (const workflow of workflows) {
			writeFileSync(path.join(directory, `${workflow.id}.json`), JSON.stringify(workflow, null, 2));
		}
		return this.importWorkflowDirectory(directory);
	}

	/**
	 * `env` adds to this folder's environment for this run only.
	 * @returns `{ code, run, lines, output }`; `run` is the logged IRun (undefined when none was printed)
	 */
	async execute(workflowId, env = {}) {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], { env });
		return {
			code: result.code,
			run: findRun(result.lines),
			lines: result.lines,
			output: `${result.stdout}\n${result.stderr}`,
		};
	}

	/** Every stored workflow as n8n exports it. */
	async exportWorkflows() {
		const file = path.join(this.scratch, 'export-workflows.json');
		await this.cliOrThrow(['export:workflow', '--all', `--output=${file}`]);
		const exported = JSON.parse(readFileSync(file, 'utf8'));
		return Array.isArray(exported) ? exported : [exported];
	}

	/** The stored credential, decrypted, as n8n exports it. */
	async exportCredential(credentialId) {
		const file = path.join(this.scratch, `export-cred-${credentialId}.json`);
		await this.cliOrThrow([
			'export:credentials',
			`--id=${credentialId}`,
			'--decrypted',
			`--output=${file}`,
		]);
		const exported = JSON.parse(readFileSync(file, 'utf8'));
		return Array.isArray(exported) ? exported[0] : exported;
	}

	remove() {
		rmSync(this.folder, { recursive: true, force: true });
	}
}

/** Items a node put out on its first run, on output `outputIndex`: `[{ json, binary?, pairedItem }]`. */
export function nodeOutput(run, nodeName, outputIndex = 0) {
	const runs = run?.data?.resultData?.runData?.[nodeName];
	if (!runs || runs.length === 0) return undefined;
	return runs[0].data?.main?.[outputIndex] ?? [];
}

/** The error message of a failed run, if any. */
export function runError(run) {
	const error = run?.data?.resultData?.error;
	return error ? String(error.message ?? '') : undefined;
}
