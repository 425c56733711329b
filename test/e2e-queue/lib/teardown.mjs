/**
 * Everything the suite starts registers here, so it is stopped on success, on failure, on Ctrl-C
 * and on a watchdog timeout: newest first, each stop bounded in time, and a synchronous kill on
 * process exit for whatever a stop could not end.
 */
const STOP_TIMEOUT_MS = 30_000;

const within = (promise, ms, what) =>
	new Promise((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`${what} did not stop within ${ms / 1000} s`)),
			ms,
		);
		promise.then(
			(value) => {
				clearTimeout(timer);
				resolve(value);
			},
			(error) => {
				clearTimeout(timer);
				reject(error);
			},
		);
	});

export class Teardown {
	constructor(log = console.log) {
		this.log = log;
		this.entries = [];
		this.running = undefined;
		process.on('exit', () => this.killRemaining());
	}

	/**
	 * @param name what it is, for messages
	 * @param stop async, graceful
	 * @param kill sync, last resort on process exit
	 * @param isGone sync, whether nothing of it is left (checked after `stop`)
	 */
	add(name, { stop, kill, isGone }) {
		this.entries.push({ name, stop, kill, isGone, stopped: false });
	}

	/**
	 * Stops everything once; later calls wait for the same run.
	 * @returns names of what is still alive
	 */
	stopAll() {
		this.running ??= this.stopEach();
		return this.running;
	}

	async stopEach() {
		for (const entry of [...this.entries].reverse()) {
			try {
				await within(Promise.resolve().then(entry.stop), STOP_TIMEOUT_MS, entry.name);
			} catch (error) {
				this.log(`teardown: ${error.message}; killing it`);
				entry.kill?.();
			}
			entry.stopped = true;
		}
		const alive = this.entries.filter((entry) => entry.isGone && !entry.isGone());
		for (const entry of alive) entry.kill?.();
		return alive.map((entry) => entry.name);
	}

	killRemaining() {
		for (const entry of this.entries) if (!entry.stopped) entry.kill?.();
	}

	/** On SIGINT/SIGTERM: stop everything, then `onStopped(signal)`, then exit with 130/143. */
	handleSignals(onStopped) {
		for (const [signal, code] of [
			['SIGINT', 130],
			['SIGTERM', 143],
		]) {
			process.once(signal, async () => {
				this.log(`\n${signal}: stopping everything`);
				await this.stopAll();
				onStopped?.(signal);
				process.exit(code);
			});
		}
	}
}

/** Whether a process group (a detached child and its children) still has a member. */
export function groupAlive(pgid) {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch {
		return false;
	}
}

export function killGroup(pgid, signal = 'SIGKILL') {
	try {
		process.kill(-pgid, signal);
	} catch {
		// already gone
	}
}
