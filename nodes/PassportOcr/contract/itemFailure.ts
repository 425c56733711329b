/**
 * Why one item could not be read, in a form that becomes either a thrown n8n error or, with Continue On Fail,
 * an error item. Messages are safe to show: no password, key or token ever goes into one.
 */
export interface ItemFailure {
	/** `input`: the item or the node's settings must change; `service`: the service or the network failed. */
	kind: 'input' | 'service';
	/** The service's error code (`AIS.0104`, `APIG.0308`), or this node's own (`INPUT.TOO_LARGE`). */
	code: string;
	message: string;
	description: string;
	/** Whether the same request may succeed later without any change. */
	retryable: boolean;
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
	return fail({ kind: 'input', code, message, description, retryable: false });
}
