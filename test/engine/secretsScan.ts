/**
 * Everything a run said, for tests that check no secret got out: the run as n8n stores it, with every error
 * written out with all of its own properties (message, stack, description, cause, context...), not only the
 * enumerable ones JSON.stringify sees; plus whatever n8n and the node logged meanwhile.
 */

const LOG_METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

function withAllProperties(value: unknown, seen = new WeakSet<object>()): unknown {
	if (typeof value !== 'object' || value === null) return value;
	if (seen.has(value)) return '[cycle]';
	seen.add(value);
	if (Array.isArray(value)) return value.map((entry) => withAllProperties(entry, seen));
	const names = value instanceof Error ? Object.getOwnPropertyNames(value) : Object.keys(value);
	if (value instanceof Error) names.push('message', 'stack', 'cause');
	const copy: Record<string, unknown> = {};
	for (const name of new Set(names)) {
		copy[name] = withAllProperties((value as Record<string, unknown>)[name], seen);
	}
	return copy;
}

export function everythingSaid(run: unknown, logs: string[]): string {
	return `${JSON.stringify(withAllProperties(run))}\n${logs.join('\n')}`;
}

/** Runs `work` while collecting what is written to the console, which n8n's logger writes to. */
export async function logsDuring<T>(
	work: () => Promise<T>,
): Promise<{ result: T; logs: string[] }> {
	const logs: string[] = [];
	const spies = LOG_METHODS.map((method) =>
		jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
			logs.push(
				args
					.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(withAllProperties(arg))))
					.join(' '),
			);
		}),
	);
	try {
		return { result: await work(), logs };
	} finally {
		for (const spy of spies) spy.mockRestore();
	}
}
