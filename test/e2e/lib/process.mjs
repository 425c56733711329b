/** Child processes for the e2e scripts: run to completion (output shown or captured) or keep running. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(
	path.dirname(fileURLToPath(import.meta.url)),
	'..',
	'..',
	'..',
);

function describe(command, args) {
	return [command, ...args].join(' ');
}

/** Runs a command with its output on this terminal; rejects when it exits non-zero. */
export function run(command, args, { cwd = REPO_ROOT, env = process.env } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			if (code === 0) resolve();
			else reject(new Error(`${describe(command, args)} exited with ${code ?? signal}`));
		});
	});
}

/**
 * Runs a command and collects its output.
 * @returns `{ code, stdout, stderr }`; rejects on a non-zero exit unless `allowFailure`
 */
export function runCapture(
	command,
	args,
	{ cwd = REPO_ROOT, env = process.env, allowFailure = false, timeoutMs = 5 * 60_000 } = {},
) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		const out = [];
		const err = [];
		child.stdout.on('data', (chunk) => out.push(chunk));
		child.stderr.on('data', (chunk) => err.push(chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			const result = {
				code: code ?? -1,
				stdout: Buffer.concat(out).toString('utf8'),
				stderr: Buffer.concat(err).toString('utf8'),
			};
			if (code === 0 || allowFailure) return resolve(result);
			const tail = (result.stderr || result.stdout).trim().split('\n').slice(-20).join('\n');
			reject(new Error(`${describe(command, args)} exited with ${code ?? signal}:\n${tail}`));
		});
	});
}

/**
 * Starts a long-running process (n8n start) in its own process group, its output appended to `logStream`.
 * @returns `{ child, stop() }`; `stop` ends the whole group and waits for the exit
 */
export function startBackground(command, args, { cwd = REPO_ROOT, env, logStream }) {
	const child = spawn(command, args, {
		cwd,
		env,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	if (logStream) {
		child.stdout.pipe(logStream, { end: false });
		child.stderr.pipe(logStream, { end: false });
	}
	const exited = new Promise((resolve) => child.on('exit', resolve));
	async function stop() {
		if (child.exitCode !== null || child.signalCode !== null) return;
		try {
			process.kill(-child.pid, 'SIGTERM');
		} catch {
			return;
		}
		const timer = setTimeout(() => {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				// already gone
			}
		}, 10_000);
		await exited;
		clearTimeout(timer);
	}
	return { child, exited, stop };
}

/** Seconds since `start` (from performance.now()), one decimal. */
export const secondsSince = (start) => ((performance.now() - start) / 1000).toFixed(1);
