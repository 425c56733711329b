/* eslint-disable @n8n/community-nodes/no-restricted-globals -- the memory figures come from process.memoryUsage() */
import type { INodeParameters } from 'n8n-workflow';

import { PassportOcr } from '../../nodes/PassportOcr/PassportOcr.node';
import {
	startHostileUpstream,
	type HostileBehaviour,
	type HostileUpstream,
} from '../hostile/hostileUpstream';
import { runCredentialTest } from './credentialTestRunner';
import { CREDENTIAL_ID, NODE_NAME, startTestbed, type Testbed } from './passportOcrTestbed';
import { BINARY_SOURCE, notAPassportItem, passportItem } from './specimens';
import { everythingSaid, logsDuring } from './secretsScan';

/**
 * The node against upstreams that misbehave in ways no documentation lists, through a real proxy on loopback
 * (test/hostile): each case checks what the user gets, how long it took, and that no secret appears anywhere
 * in the run, in its errors (with all their own properties) or in n8n's log.
 */

const utopia = () => passportItem('utopia-eriksson');
const withOptions = (options: INodeParameters): INodeParameters => ({ ...BINARY_SOURCE, options });

interface Bed {
	testbed: Testbed;
	proxy: HostileUpstream;
}

async function hostileBed(
	options: { tls?: boolean; trickleMs?: number; oversizeBytes?: number } = {},
): Promise<Bed> {
	let proxy: HostileUpstream | undefined;
	const testbed = await startTestbed({}, {}, async (emulator) => {
		proxy = await startHostileUpstream({
			upstream: emulator.baseUrl,
			trickleMs: options.trickleMs ?? 200,
			oversizeBytes: options.oversizeBytes ?? 16 * 1024 * 1024,
			...(options.tls ? { tls: 'self-signed-wrong-host' as const } : {}),
		});
		return proxy;
	});
	if (!proxy) throw new Error('the proxy did not start');
	return { testbed, proxy };
}

/** Runs the node, timing it and collecting everything it and n8n said, logs included. */
async function timedRun(
	bed: Bed,
	parameters: INodeParameters,
	options: { input?: ReturnType<typeof utopia>[]; continueOnFail?: boolean } = {},
) {
	const started = Date.now();
	const { result: run, logs } = await logsDuring(
		async () => await bed.testbed.run(parameters, { input: [utopia()], ...options }),
	);
	const ms = Date.now() - started;
	return { run, ms, said: everythingSaid(run.run, logs) };
}

/** The secrets of the credential, and every token the emulator issued in the test. */
function secretsOf(bed: Bed): string[] {
	const { credentialData } = bed.testbed;
	const stored = bed.testbed.credentials.read(CREDENTIAL_ID).data;
	return [credentialData.password, stored.iamToken]
		.filter((value): value is string => typeof value === 'string' && value.length > 3)
		.concat(bed.testbed.emulator.issuedTokens());
}

function expectNoSecret(bed: Bed, said: string): void {
	const secrets = secretsOf(bed);
	expect(secrets.length).toBeGreaterThan(0);
	for (const secret of secrets) {
		expect(said).not.toContain(secret);
		expect(said).not.toContain(JSON.stringify(secret).slice(1, -1));
	}
}

async function closeBed(bed: Bed): Promise<void> {
	await bed.testbed.close();
}

const errorOf = (run: Awaited<ReturnType<typeof timedRun>>['run']) =>
	run.outputItems(NODE_NAME)[0]?.json;

describe('bounded time', () => {
	it('cuts off an answer whose body trickles in, at the Timeout, and closes the connection', async () => {
		const bed = await hostileBed();
		try {
			bed.proxy.set('ocr', 'slow-body');
			const { run, ms, said } = await timedRun(
				bed,
				withOptions({ timeoutSeconds: 2, maxRetrySeconds: 0 }),
				{ continueOnFail: true },
			);
			expect(errorOf(run)).toMatchObject({
				error_code: 'NETWORK.TIMEOUT',
				error: "The OCR service did not answer within the node's Timeout (2 s)",
			});
			expect(ms).toBeGreaterThanOrEqual(1900);
			expect(ms).toBeLessThan(4000);
			await bed.proxy.whenIdle('ocr', 3000);
			const slow = bed.proxy.log.find((entry) => entry.behaviour === 'slow-body');
			expect(slow?.closedByClientAt).toBeDefined();
			expectNoSecret(bed, said);
		} finally {
			await closeBed(bed);
		}
	});

	it('with retries, an item never takes longer than Max Retry Time plus one Timeout', async () => {
		const bed = await hostileBed();
		try {
			bed.proxy.set('ocr', 'slow-body');
			const { run, ms } = await timedRun(
				bed,
				withOptions({ timeoutSeconds: 1, maxRetrySeconds: 3 }),
				{ continueOnFail: true },
			);
			expect(errorOf(run)).toMatchObject({ error_code: 'NETWORK.TIMEOUT' });
			expect(errorOf(run)?.error_description).toMatch(/Tried \d+ times; Max Retry Time \(3 s\)/);
			expect(bed.proxy.log.filter((entry) => entry.kind === 'ocr').length).toBeGreaterThan(1);
			expect(ms).toBeLessThan(3000 + 1000 + 1500);
		} finally {
			await closeBed(bed);
		}
	});

	it('gives up on an upstream that accepts the request and never answers', async () => {
		const bed = await hostileBed();
		try {
			bed.proxy.set('ocr', 'slow-headers');
			const { run, ms } = await timedRun(
				bed,
				withOptions({ timeoutSeconds: 1, maxRetrySeconds: 0 }),
				{ continueOnFail: true },
			);
			expect(errorOf(run)).toMatchObject({ error_code: 'NETWORK.TIMEOUT' });
			expect(ms).toBeLessThan(3000);
		} finally {
			await closeBed(bed);
		}
	});

	it('fails at once when the service asks to wait longer than Max Retry Time', async () => {
		const bed = await hostileBed();
		try {
			bed.proxy.set('ocr', 'huge-retry-after');
			const { run, ms } = await timedRun(bed, withOptions({ maxRetrySeconds: 60 }), {
				input: [utopia(), utopia(), utopia()],
				continueOnFail: true,
			});
			const items = run.outputItems(NODE_NAME);
			expect(items.map((item) => item.json.error_code)).toEqual([
				'APIG.0308',
				'APIG.0308',
				'APIG.0308',
			]);
			expect(items[0].json.error_description).toMatch(
				/Not retried: the next try would start in 3600 s, beyond Max Retry Time \(60 s\)/,
			);
			expect(ms).toBeLessThan(3000);
		} finally {
			await closeBed(bed);
		}
	});

	it('refuses a Timeout beyond its bound, naming it, before anything is sent', async () => {
		const bed = await hostileBed();
		try {
			const { run } = await timedRun(bed, withOptions({ timeoutSeconds: 3_000_000 }), {
				continueOnFail: true,
			});
			expect(errorOf(run)).toMatchObject({
				error_code: 'PARAMETER.INVALID',
				error: 'Timeout must be a number from 1 to 600 seconds; it is 3000000',
			});
			expect(bed.proxy.log).toEqual([]);
		} finally {
			await closeBed(bed);
		}
	});
});

describe('stop promptly', () => {
	it('without Continue On Fail, the first item that fails for good stops the node while others retry', async () => {
		const bed = await hostileBed();
		try {
			// The first three requests meet a busy service and would retry for minutes; the fourth is no passport.
			bed.proxy.queue('ocr', ['status-503', 'status-503', 'status-503']);
			const started = Date.now();
			const run = await bed.testbed.run(withOptions({ concurrency: 4, maxRetrySeconds: 120 }), {
				input: [utopia(), utopia(), utopia(), notAPassportItem()],
			});
			const ms = Date.now() - started;
			expect(run.nodeError(NODE_NAME)).toMatchObject({
				message: expect.stringMatching(/^No passport data page could be read/),
			});
			expect(ms).toBeLessThan(1500);
			const failedAt = started + ms;
			// Nothing was sent after the node stopped, and nothing is left open.
			expect(bed.proxy.log.filter((entry) => entry.time > failedAt)).toEqual([]);
			await bed.proxy.whenIdle(undefined, 1000);
		} finally {
			await closeBed(bed);
		}
	});
});

describe("n8n's Stop", () => {
	it('aborts the requests in flight and starts no more when the user stops the execution', async () => {
		const bed = await hostileBed();
		try {
			bed.proxy.set('ocr', 'slow-headers');
			const started = Date.now();
			await bed.testbed.run(withOptions({ concurrency: 2, timeoutSeconds: 60 }), {
				input: [utopia(), utopia(), utopia(), utopia()],
				cancelAfterMs: 500,
			});
			// The node's requests end with the execution, not at their 60 s Timeout.
			await bed.proxy.whenIdle('ocr', 2000);
			const ocr = bed.proxy.log.filter((entry) => entry.kind === 'ocr');
			expect(ocr).toHaveLength(2);
			expect(ocr.every((entry) => (entry.closedByClientAt ?? Infinity) - started < 2000)).toBe(
				true,
			);
		} finally {
			await closeBed(bed);
		}
	});
});

describe('no secret ever leaves', () => {
	it.each<[string, 'iam' | 'ocr', HostileBehaviour]>([
		['IAM repeats the sign-in request, password included', 'iam', 'echo-request'],
		['the OCR gateway repeats the request, token included', 'ocr', 'echo-request'],
		['the OCR gateway lists the headers it got, token included', 'ocr', 'echo-headers-401'],
	])('%s', async (_, kind, behaviour) => {
		const bed = await hostileBed();
		try {
			bed.proxy.set(kind, behaviour);
			const { run, said } = await timedRun(bed, withOptions({ maxRetrySeconds: 0 }));
			const error = run.nodeError(NODE_NAME);
			expect(typeof error?.message).toBe('string');
			expect(String(error?.message)).not.toBe('');
			// The OCR echoes are shown in full (redacted); IAM's is cut short in the sign-in message.
			if (kind === 'ocr') expect(said).toContain('[redacted]');
			expectNoSecret(bed, said);
		} finally {
			await closeBed(bed);
		}
	});
});

describe('bounded memory on answers', () => {
	it.each<HostileBehaviour>(['oversized', 'gzip-bomb'])(
		'%s: refused at the limit, explained, without reading it all',
		async (behaviour) => {
			const bed = await hostileBed();
			try {
				bed.proxy.set('ocr', behaviour);
				const before = process.memoryUsage().rss;
				const { run, ms } = await timedRun(bed, withOptions({}), { continueOnFail: true });
				const grown = process.memoryUsage().rss - before;
				expect(errorOf(run)).toMatchObject({
					error_code: 'SERVICE.ANSWER_TOO_LARGE',
					error: expect.stringMatching(
						/larger than 4 MB; the Passport API answers a few kB\. This does not look like the Passport API: check the credential's OCR endpoint/,
					),
				});
				expect(ms).toBeLessThan(5000);
				expect(grown).toBeLessThan(200 * 1024 * 1024);
			} finally {
				await closeBed(bed);
			}
		},
	);
});

describe('broken paths', () => {
	it('a certificate for another host fails at once, explained, without retries', async () => {
		const bed = await hostileBed({ tls: true });
		try {
			const { run, ms, said } = await timedRun(bed, withOptions({ maxRetrySeconds: 60 }), {
				continueOnFail: true,
			});
			expect(errorOf(run)?.error).toMatch(
				/certificate .* was not accepted \((DEPTH_ZERO_SELF_SIGNED_CERT|ERR_TLS_CERT_ALTNAME_INVALID)\)/,
			);
			expect(ms).toBeLessThan(3000);
			expectNoSecret(bed, said);
		} finally {
			await closeBed(bed);
		}
	});

	it.each<HostileBehaviour>(['drop-mid-body', 'drop-before-answer'])(
		'%s once: retried, and the item is read',
		async (behaviour) => {
			const bed = await hostileBed();
			try {
				bed.proxy.queue('ocr', [behaviour]);
				const { run } = await timedRun(bed, withOptions({}));
				expect(run.outputItems(NODE_NAME)[0].json.surname).toBe('ERIKSSON');
				expect(bed.proxy.log.filter((entry) => entry.kind === 'ocr')).toHaveLength(2);
			} finally {
				await closeBed(bed);
			}
		},
	);

	it('a token rejected right after sign-in is renewed once, then the run stops with what to check', async () => {
		const bed = await hostileBed();
		try {
			bed.proxy.set('ocr', 'reject-token');
			const { run, ms } = await timedRun(bed, withOptions({}), {
				input: [utopia(), utopia(), utopia()],
				continueOnFail: true,
			});
			const items = run.outputItems(NODE_NAME);
			expect(items).toHaveLength(3);
			expect(items.every((item) => item.json.error_code === 'APIG.0301')).toBe(true);
			expect(items[0].json.error).toMatch(/^The sign-in was not accepted by the OCR endpoint/);
			// A token refused before it was ever accepted means the credential is refused: no second sign-in.
			expect(bed.testbed.emulator.logins()).toBe(1);
			expect(bed.proxy.log.filter((entry) => entry.kind === 'ocr')).toHaveLength(1);
			expect(ms).toBeLessThan(3000);
		} finally {
			await closeBed(bed);
		}
	});

	it.each<HostileBehaviour>(['status-429', 'status-503'])(
		'IAM %s once: the sign-in is retried and the item is read',
		async (behaviour) => {
			const bed = await hostileBed();
			try {
				bed.proxy.queue('iam', [behaviour]);
				const { run } = await timedRun(bed, withOptions({}));
				expect(run.outputItems(NODE_NAME)[0].json.surname).toBe('ERIKSSON');
				expect(bed.testbed.emulator.logins()).toBe(1);
			} finally {
				await closeBed(bed);
			}
		},
	);

	it('IAM busy for longer than Max Retry Time: fails with what to do', async () => {
		const bed = await hostileBed();
		try {
			bed.proxy.set('iam', 'status-503');
			const { run, ms } = await timedRun(bed, withOptions({ maxRetrySeconds: 2 }), {
				continueOnFail: true,
			});
			expect(errorOf(run)).toMatchObject({
				error_code: 'IAM.BUSY',
				error: expect.stringMatching(/is busy or failing \(HTTP 503\): try again in a minute/),
			});
			expect(ms).toBeLessThan(2000 + 1000 + 1500);
		} finally {
			await closeBed(bed);
		}
	});

	it.each<[HostileBehaviour, string]>([
		['status-404-empty', 'HTTP 404 with an empty answer'],
		['status-502-html', 'HTTP 502 with a web page'],
		['status-200-html', 'HTTP 200 with a web page'],
		['status-200-empty-object', 'HTTP 200 with an answer without a passport result'],
		['status-200-empty', 'HTTP 200 with an empty answer'],
	])('%s: says it does not look like the Passport API', async (behaviour, what) => {
		const bed = await hostileBed();
		try {
			bed.proxy.set('ocr', behaviour);
			const { run, ms } = await timedRun(bed, withOptions({ maxRetrySeconds: 1 }), {
				continueOnFail: true,
			});
			expect(errorOf(run)?.error).toBe(
				`The OCR endpoint answered ${what}. This does not look like the Passport API: check the credential's OCR endpoint (${bed.proxy.baseUrl}), its cloud and region`,
			);
			expect(ms).toBeLessThan(1000 + 1000 + 1500);
		} finally {
			await closeBed(bed);
		}
	});
});

describe('an honest Test button', () => {
	async function pressTest(bed: Bed) {
		const started = Date.now();
		const { result, logs } = await logsDuring(
			async () =>
				await runCredentialTest(bed.testbed.credentials, CREDENTIAL_ID, new PassportOcr()),
		);
		return { result, ms: Date.now() - started, said: JSON.stringify(result) + logs.join('\n') };
	}

	it('passes through a proxy that passes', async () => {
		const bed = await hostileBed();
		try {
			expect((await pressTest(bed)).result.status).toBe('OK');
		} finally {
			await closeBed(bed);
		}
	});

	it.each<['iam' | 'ocr', HostileBehaviour, RegExp]>([
		[
			'ocr',
			'status-404-empty',
			/HTTP 404 with an empty answer\. This does not look like the Passport API/,
		],
		['ocr', 'status-502-html', /HTTP 502 with a web page/],
		['ocr', 'status-200-html', /HTTP 200 with a web page/],
		['ocr', 'status-200-empty-object', /HTTP 200 with an answer without a passport result/],
		['ocr', 'oversized', /larger than 4 MB/],
		['ocr', 'gzip-bomb', /larger than 4 MB/],
		['ocr', 'reject-token', /^The sign-in was not accepted by the OCR endpoint/],
		['ocr', 'huge-retry-after', /rate limit/],
		['iam', 'status-429', /is busy or failing \(HTTP 429\)/],
		['iam', 'status-503', /is busy or failing \(HTTP 503\)/],
		['iam', 'status-200-html', /accepted the sign-in but sent no token|web page/],
		[
			'iam',
			'echo-request',
			/^IAM refused the sign-in with HTTP 400 \(IAM said: Orchestration error/,
		],
	])('fails for %s %s, naming what to check', async (kind, behaviour, message) => {
		const bed = await hostileBed();
		try {
			bed.proxy.set(kind, behaviour);
			const { result, ms, said } = await pressTest(bed);
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(message);
			expect(ms).toBeLessThan(5000);
			expectNoSecret(bed, said);
		} finally {
			await closeBed(bed);
		}
	});

	it('fails for a certificate of another host', async () => {
		const bed = await hostileBed({ tls: true });
		try {
			const { result } = await pressTest(bed);
			expect(result).toMatchObject({ status: 'Error' });
			expect(result.message).toMatch(
				/certificate of the IAM endpoint https:\/\/localhost:\d+ was not accepted/,
			);
		} finally {
			await closeBed(bed);
		}
	});
});
