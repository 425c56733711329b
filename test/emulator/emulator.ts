/**
 * Huawei Cloud IAM and OCR Passport on one loopback port: routes each request, applies the knobs and
 * injected faults, and logs every request for tests to assert on.
 */
import { faultAnswer } from './faults';
import { FIXTURES, RecordedResults } from './fixtures';
import type { JsonObject } from './json';
import { parseAuthorization } from '../../nodes/PassportOcr/credential/requestSigning';
import { admitOcrCall } from './gateway';
import { handleLogin } from './iam';
import { type Call, listenOnLoopback, type LoopbackServer } from './loopbackServer';
import { recognizePassport } from './passportService';
import { type Route, routeOf } from './routes';
import { SlidingWindowLimiter } from './rateLimit';
import { type Answer, errorReply, reply } from './replies';
import { TokenStore } from './tokens';
import type {
	Emulator,
	EmulatorAccessKey,
	EmulatorAccount,
	EmulatorEdition,
	EmulatorEvent,
	EmulatorKnobs,
	EmulatorOptions,
	Fault,
	RequestKind,
	RequestLogEntry,
} from './types';

/** Real security tokens are several KB of Base64; this one is as long, and as obviously fake. */
const EMULATOR_SECURITY_TOKEN = `gQ5lbXVsYXRvcg${'-emulator-security-token'.repeat(160)}`;

/** The user's permanent access key, then a temporary one with its security token. */
export function defaultAccessKeys(): EmulatorAccessKey[] {
	return [
		{ accessKey: 'EMULATOR-AK', secretKey: 'emulator-sk' },
		{
			accessKey: 'EMULATOR-TEMP-AK',
			secretKey: 'emulator-temp-sk',
			securityToken: EMULATOR_SECURITY_TOKEN,
		},
	];
}

export function defaultAccount(region = 'ap-southeast-1'): EmulatorAccount {
	return {
		domain: 'emulator-domain',
		user: 'emulator-user',
		password: 'emulator-pass',
		projects: [{ id: '0a1b2c3d4e5f60718293a4b5c6d7e8f9', region, passportEnabled: true }],
		accessKeys: defaultAccessKeys(),
	};
}

/** The account a default emulator (region ap-southeast-1) knows. */
export const DEFAULT_ACCOUNT: EmulatorAccount = defaultAccount();

/** Adds the fields that have a value, so log entries hold no `undefined` keys. */
function note(entry: RequestLogEntry, fields: Partial<RequestLogEntry>): void {
	for (const [key, value] of Object.entries(fields)) {
		if (value !== undefined) Object.assign(entry, { [key]: value });
	}
}

class LoopbackEmulator implements Emulator {
	readonly log: RequestLogEntry[] = [];
	private readonly knobs: EmulatorKnobs;
	private readonly tokens = new TokenStore();
	private readonly limiter = new SlidingWindowLimiter();
	private readonly recordedResults = new RecordedResults();
	private readonly events = new Map<number, EmulatorEvent>();
	private ocrInProgress = 0;
	private ocrPeak = 0;
	private readonly files = new Map<string, { bytes: Buffer; mimeType: string }>();
	private readonly faults: Fault[] = [];
	private server?: LoopbackServer;

	constructor(
		readonly region: string,
		readonly edition: EmulatorEdition,
		readonly accounts: readonly EmulatorAccount[],
		options: EmulatorOptions,
	) {
		this.knobs = {
			latencyMs: options.latencyMs ?? 0,
			responseTimeMs: options.responseTimeMs ?? 0,
			rateLimitPerMinute: options.rateLimitPerMinute ?? Infinity,
			retryAfter: options.retryAfter ?? false,
			tokenTtlMs: options.tokenTtlMs ?? 24 * 60 * 60 * 1000,
			urlTimeoutMs: options.urlTimeoutMs ?? 5000,
			clockSkewMs: options.clockSkewMs ?? 0,
		};
		for (const fixture of FIXTURES) this.serveFile(fixture.file, fixture.bytes, fixture.mimeType);
	}

	async listen(port: number): Promise<void> {
		this.server = await listenOnLoopback(port, (call) => this.handle(call));
	}

	get baseUrl(): string {
		return this.started().baseUrl;
	}

	fileUrl(name: string): string {
		return `${this.baseUrl}/files/${encodeURIComponent(name)}`;
	}

	serveFile(name: string, bytes: Buffer, mimeType: string): void {
		this.files.set(name, { bytes, mimeType });
	}

	logins(): number {
		return this.count('login');
	}

	ocrCalls(): number {
		return this.count('ocr');
	}

	setKnobs(knobs: Partial<EmulatorKnobs>): void {
		Object.assign(this.knobs, knobs);
	}

	injectFaults(faults: Fault[]): void {
		this.faults.push(...faults);
	}

	atOcrCall(ocrCall: number, event: EmulatorEvent): void {
		this.events.set(ocrCall, event);
	}

	ocrConcurrencyPeak(): number {
		return this.ocrPeak;
	}

	recordResult(image: Uint8Array, result: JsonObject): void {
		this.recordedResults.set(image, result);
	}

	/** Every IAM token issued so far. */
	issuedTokens(): string[] {
		return this.tokens.values();
	}

	expireTokens(): void {
		this.tokens.expireAll(this.now());
	}

	close(): Promise<void> {
		return this.started().close();
	}

	/** The server's clock: every check of a time reads this one. */
	private now(): number {
		return Date.now() + this.knobs.clockSkewMs;
	}

	private started(): LoopbackServer {
		if (!this.server) throw new Error('The emulator is not listening yet');
		return this.server;
	}

	private count(kind: RequestKind): number {
		return this.log.filter((entry) => entry.kind === kind).length;
	}

	private async handle(call: Call): Promise<Answer> {
		const route = routeOf(call.method, call.url.pathname);
		const entry: RequestLogEntry = {
			kind: route.kind,
			time: Date.now(),
			method: call.method,
			path: call.url.pathname,
			status: null,
			requestId: call.requestId,
		};
		this.log.push(entry);
		if (route.kind !== 'ocr') return this.noted(entry, await this.answer(route, call, entry));
		const event = this.events.get(this.ocrCalls());
		if (event === 'die') return this.die();
		if (event === 'expire-tokens') this.expireTokens();
		this.ocrPeak = Math.max(this.ocrPeak, ++this.ocrInProgress);
		try {
			const answer = await this.answer(route, call, entry);
			const unspent = this.knobs.responseTimeMs - (Date.now() - call.arrivedAt);
			await this.started().pause(this.knobs.latencyMs + Math.max(0, unspent));
			return this.noted(entry, answer);
		} finally {
			this.ocrInProgress--;
		}
	}

	private noted(entry: RequestLogEntry, answer: Answer): Answer {
		if (answer.type === 'reply') {
			note(entry, { status: answer.reply.status, errorCode: answer.reply.errorCode });
		}
		return answer;
	}

	/** Stops as a crashed process does: the connections end unanswered, and new ones are refused. */
	private die(): Answer {
		void this.close();
		return { type: 'drop' };
	}

	private answer(route: Route, call: Call, entry: RequestLogEntry): Answer | Promise<Answer> {
		if (route.kind === 'ocr') {
			entry.project = route.projectId;
			return this.answerOcr(route.projectId, call, entry);
		}
		if (call.bodyTooLarge) return reply(errorReply('APIGW.0201', call.requestId));
		if (route.kind === 'login') return this.answerLogin(call, entry);
		const file = route.kind === 'file' ? this.files.get(route.name) : undefined;
		if (!file) return reply(errorReply('APIG.0101', call.requestId));
		return reply({ status: 200, headers: { 'Content-Type': file.mimeType }, body: file.bytes });
	}

	private answerLogin(call: Call, entry: RequestLogEntry): Answer {
		const context = {
			accounts: this.accounts,
			tokens: this.tokens,
			tokenTtlMs: this.knobs.tokenTtlMs,
			baseUrl: this.baseUrl,
		};
		const outcome = handleLogin(context, call.body, call.url.searchParams, this.now());
		note(entry, { project: outcome.project, detail: outcome.detail });
		return reply(outcome.reply);
	}

	private async answerOcr(projectId: string, call: Call, entry: RequestLogEntry): Promise<Answer> {
		note(entry, { accessKey: parseAuthorization(call.header('Authorization') ?? '')?.accessKey });
		const fault = this.faults.shift();
		if (fault) {
			entry.fault = fault;
			return faultAnswer(fault, call.requestId, this.knobs.retryAfter);
		}
		if (call.bodyTooLarge) return reply(errorReply('APIGW.0201', call.requestId));
		const gateway = {
			tokens: this.tokens,
			accounts: this.accounts,
			limiter: this.limiter,
			region: this.region,
			rateLimitPerMinute: this.knobs.rateLimitPerMinute,
			retryAfter: this.knobs.retryAfter,
		};
		const admission = admitOcrCall(gateway, {
			token: call.header('X-Auth-Token'),
			request: { method: call.method, url: call.target, headers: call.headers, body: call.body },
			projectId,
			requestId: call.requestId,
			now: this.now(),
		});
		if (!admission.ok) return reply(admission.reply);
		const service = {
			edition: this.edition,
			recordedResult: (image: Uint8Array) => this.recordedResults.get(image),
			urlTimeoutMs: this.knobs.urlTimeoutMs,
			signal: this.started().signal,
		};
		const outcome = await recognizePassport(service, call.body, call.requestId);
		note(entry, {
			bodyMode: outcome.bodyMode,
			countryCode: outcome.countryCode,
			detail: outcome.detail,
		});
		return reply(outcome.reply);
	}
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	const region = options.region ?? 'ap-southeast-1';
	const accounts = options.accounts ?? [defaultAccount(region)];
	const emulator = new LoopbackEmulator(region, options.edition ?? 'huawei', accounts, options);
	await emulator.listen(options.port ?? 0);
	return emulator;
}
