/** The emulator's public shapes: how tests configure it and what they can read back from it. */

export type EmulatorEdition = 'huawei' | 'g42';

export interface EmulatorProject {
	id: string;
	/** The region ID, which is also the project's name in IAM. */
	region: string;
	passportEnabled: boolean;
}

/** An IAM user's access key: AK/SK signing (SDK-HMAC-SHA256) instead of a token. */
export interface EmulatorAccessKey {
	accessKey: string;
	secretKey: string;
	/** Temporary keys only: every signed call must carry it in X-Security-Token. */
	securityToken?: string;
}

export interface EmulatorAccount {
	/** The account (domain) name the IAM login names in `user.domain.name`. */
	domain: string;
	user: string;
	password: string;
	projects: EmulatorProject[];
	/** Keys of `user`; each may call every project of the account. */
	accessKeys?: EmulatorAccessKey[];
}

/** Settings a test may change while the emulator runs. */
export interface EmulatorKnobs {
	/** Added before every answer on the OCR path. */
	latencyMs: number;
	/**
	 * The least time from an OCR request's arrival (its headers) to its answer, reading and checking it
	 * included, as a service's response time is measured; `latencyMs` is added on top. Benchmarks use it so
	 * that the emulator's own CPU time (reading, parsing and hashing megabytes) does not count as the node's.
	 */
	responseTimeMs: number;
	/** OCR calls per user in any 60 s window; `Infinity` means no limit. */
	rateLimitPerMinute: number;
	/**
	 * Whether a 429 carries `Retry-After` (the seconds until a call fits again; 1 for the `throttle` fault).
	 * Off by default: Huawei documents none (reference 2.1c), so a client must pace itself without one.
	 */
	retryAfter: boolean;
	/** Lifetime of tokens issued from now on. */
	tokenTtlMs: number;
	/** How long URL mode waits for a download before answering ModelArts.4603. */
	urlTimeoutMs: number;
	/**
	 * How far the emulator's clock runs ahead of the real one (negative: behind). It moves the times the
	 * server reads: token issue and expiry, throttling, and the 15-minute window for AK/SK signatures.
	 */
	clockSkewMs: number;
}

export interface EmulatorOptions extends Partial<EmulatorKnobs> {
	/** The region this endpoint serves; tokens of projects in other regions get APIG.0307. */
	region?: string;
	/** `huawei`: longest side 8192 px; `g42`: 4096 px and no `country_code`. */
	edition?: EmulatorEdition;
	accounts?: EmulatorAccount[];
	/** 0 (the default) picks any free port. */
	port?: number;
}

/**
 * `5xx`: 503 with a ModelArts.4403 body; `401`: 401 APIGW.0301 as if the gateway refused a valid credential
 * once; `throttle`: 429 APIGW.0308 (with `Retry-After: 1` when the `retryAfter` knob is on); `html`: 502 text/html as from a proxy; `malformed`: 200 with broken JSON; `drop`: the socket is
 * destroyed without an answer; `hang`: no answer until `close()`.
 */
export type Fault = '5xx' | '401' | 'throttle' | 'html' | 'malformed' | 'drop' | 'hang';

/**
 * Something that happens to the emulator when a given OCR call arrives: `expire-tokens` as `expireTokens()`
 * does, before that call is checked; `die` as if the process stopped: that call and every open connection end
 * without an answer, and nothing listens any more.
 */
export type EmulatorEvent = 'expire-tokens' | 'die';

export type RequestKind = 'login' | 'ocr' | 'file' | 'other';

export interface RequestLogEntry {
	kind: RequestKind;
	/** Arrival time, ms since the epoch. */
	time: number;
	method: string;
	path: string;
	/** `null` while unanswered, and for `drop` and `hang` faults. */
	status: number | null;
	errorCode?: string;
	/** OCR: the project ID in the path; login: the scoped project's ID, or the name or ID as sent. */
	project?: string;
	bodyMode?: 'image' | 'url';
	/** OCR: the `country_code` the request sent, if any. */
	countryCode?: string;
	/** OCR: the access key ID of an AK/SK-signed call, whether or not its signature held. */
	accessKey?: string;
	fault?: Fault;
	/** Why a URL download failed, or what a login body lacked. */
	detail?: string;
	requestId: string;
}

export interface Emulator {
	/** `http://127.0.0.1:<port>`: IAM and OCR on one port. */
	baseUrl: string;
	region: string;
	edition: EmulatorEdition;
	accounts: readonly EmulatorAccount[];
	/** URL of `GET /files/<name>`, which serves fixture images by file name and registered bytes. */
	fileUrl(name: string): string;
	serveFile(name: string, bytes: Buffer, contentType: string): void;
	log: RequestLogEntry[];
	/** Requests to the IAM token path, whatever their outcome. */
	logins(): number;
	/** Requests to the OCR path, whatever their outcome. */
	ocrCalls(): number;
	setKnobs(knobs: Partial<EmulatorKnobs>): void;
	/** Each fault is used by one following OCR call, in order, before any other check. */
	injectFaults(faults: Fault[]): void;
	/** Every IAM token issued so far. */
	issuedTokens(): string[];
	/** Every token issued so far answers 401 APIG.0307 from now on. */
	expireTokens(): void;
	/** Makes `event` happen when OCR call number `ocrCall` (counting from 1) arrives. */
	atOcrCall(ocrCall: number, event: EmulatorEvent): void;
	/** The most OCR requests that were in progress at once, from arrival until answered. */
	ocrConcurrencyPeak(): number;
	/** Answers these exact image bytes with `result`, as the fixtures' images are answered. */
	recordResult(image: Uint8Array, result: Record<string, unknown>): void;
	/** Ends every connection, hung ones included, and stops listening. */
	close(): Promise<void>;
}
