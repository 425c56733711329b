/**
 * Why one item could not be read, in a form that becomes either a thrown n8n error or, with Continue On Fail,
 * an error item. Messages are safe to show: no password, key or token ever goes into one (every text from an
 * upstream has been through the transport's redaction).
 */
export interface ItemFailure {
	/** `input`: the item or the node's settings must change; `service`: the service or the network failed. */
	kind: 'input' | 'service';
	/** The service's error code (`AIS.0104`, `APIG.0308`), or this node's own (`INPUT.TOO_LARGE`). */
	code: string;
	message: string;
	description: string;
	/**
	 * `run`: every item would fail the same way (the sign-in, the endpoint, the subscription), so the run stops
	 * sending; `item`: only this item is affected. Decided by the failure policy.
	 */
	scope: 'item' | 'run';
	httpStatus?: number;
	serviceMessage?: string;
	requestId?: string;
	/** Seconds the service asked to wait (`Retry-After`). */
	retryAfterSeconds?: number;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: ItemFailure };

export const succeed = <T>(value: T): Outcome<T> => ({ ok: true, value });

export const fail = (failure: ItemFailure): Outcome<never> => ({ ok: false, failure });

export function inputFailure(code: string, message: string, description: string): Outcome<never> {
	return fail({ kind: 'input', code, message, description, scope: 'item' });
}

/**
 * Which part of a sign-in (or, for access keys, of the key check) failed, so the message can say what to fix.
 * `clock`: the signature time is too far from the service's; `service`: Passport is not enabled or not
 * permitted for the project; `unreachable`: the endpoint refused the connection or its name is unknown; `busy`:
 * it timed out, was throttled or failed on its side, which may pass.
 */
export const SIGN_IN_PROBLEMS = [
	'credentials',
	'project',
	'clock',
	'service',
	'unreachable',
	'busy',
	'unexpected',
] as const;

export type SignInProblem = (typeof SIGN_IN_PROBLEMS)[number];

const SIGN_IN_CODE_PREFIX = 'IAM.';

/** The failure code of a sign-in problem: `IAM.CREDENTIALS`, `IAM.BUSY`... */
export const signInCode = (problem: SignInProblem): string =>
	`${SIGN_IN_CODE_PREFIX}${problem.toUpperCase()}`;

/** The sign-in problem `value` names, or undefined when it names none. */
export const asSignInProblem = (value: unknown): SignInProblem | undefined =>
	SIGN_IN_PROBLEMS.find((problem) => problem === value);

/** The sign-in problem a failure code names, or undefined when it is not a sign-in code. */
export function signInProblemOf(code: string): SignInProblem | undefined {
	if (!code.startsWith(SIGN_IN_CODE_PREFIX)) return undefined;
	return asSignInProblem(code.slice(SIGN_IN_CODE_PREFIX.length).toLowerCase());
}
