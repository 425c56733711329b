import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { fail, type ItemFailure, type Outcome } from '../contract/itemFailure';
import { isSignInFailure, isTokenRejection } from '../transport/httpFailure';

/** The token field of the credential data the run's requests share. */
export interface TokenSlot {
	read(): string;
	/** Empties the field, so that the next request signs in first. */
	clear(): void;
	/** Settles when a token is next written into the field. */
	written(): Promise<void>;
}

/**
 * The slot for `field` of the run's shared credential data. n8n writes a new token into that object (with
 * Object.assign) as soon as it has signed in, before the request itself goes out; the field becomes an
 * accessor so that the gate learns of the token then, not a round trip later from the answer.
 */
export function watchTokenField(data: ICredentialDataDecryptedObject, field: string): TokenSlot {
	let token = String(data[field] ?? '');
	let waiting: Array<() => void> = [];
	Object.defineProperty(data, field, {
		enumerable: true,
		configurable: true,
		get: () => token,
		set: (value: unknown) => {
			token = String(value ?? '');
			if (token === '') return;
			const settle = waiting;
			waiting = [];
			for (const resolve of settle) resolve();
		},
	});
	return {
		read: () => token,
		clear: () => {
			token = '';
		},
		written: async () => await new Promise<void>((resolve) => waiting.push(resolve)),
	};
}

const ignore = () => undefined;

/** A token the run signed in for; `verdict` settles once the signing request's answer has been read. */
interface FreshToken {
	token: string;
	verdict: Promise<void>;
}

/**
 * One sign-in for the whole run, however many requests are in flight. n8n signs in whenever a request goes out
 * with an empty token, so only one request goes out while the token is empty; the others wait until it has
 * signed in and then go out with its token. When the service rejects a token, the first request to see it
 * clears the token and resends, which signs in again; the others that held the same token wait and resend with
 * the new one. Each request is resent at most once.
 *
 * A failed sign-in, or a fresh token that the service rejects before accepting it once, fails every later
 * request of the run without another call: the credential needs fixing, and a login per item would not help.
 * Whether a fresh token is bad is for the signing request's own answer to say; a rejection that another request
 * meets meanwhile waits for it, because a token may also have expired since.
 */
export class SignInGate {
	/** Settles once the request that is signing in has its token, or else its answer. */
	private signingIn?: Promise<void>;

	/** The latest sign-in's token while no answer has accepted it, and when the signing request's answer is in. */
	private unproven?: FreshToken;

	/** A sign-in went through and left the field empty: this credential sends no token, so nothing waits. */
	private tokenless = false;

	private credentialFailure?: ItemFailure;

	constructor(private readonly token: TokenSlot) {}

	async send<T>(exchange: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
		for (let resent = false; ; resent = true) {
			while (this.signingIn) await this.signingIn;
			if (this.credentialFailure) return fail(this.credentialFailure);
			const stored = this.token.read();
			const { outcome, token } =
				stored === '' && !this.tokenless
					? await this.signIn(exchange)
					: await this.sendWith(stored, exchange);
			if (outcome.ok || resent || !isTokenRejection(outcome.failure)) return outcome;
			if (this.unproven?.token === token) await this.unproven.verdict;
			while (this.signingIn) await this.signingIn;
			if (this.credentialFailure) return fail(this.credentialFailure);
			// Still the token this request carried: nobody has renewed it yet, so this request does.
			if (this.token.read() === token) this.token.clear();
		}
	}

	private async sendWith<T>(token: string, exchange: () => Promise<Outcome<T>>) {
		const outcome = await exchange();
		this.learn(outcome, token, false);
		return { outcome, token };
	}

	private async signIn<T>(exchange: () => Promise<Outcome<T>>) {
		const tokenWritten = this.token.written();
		const answer = exchange();
		const fresh: FreshToken = {
			token: '',
			verdict: answer.then((outcome) => this.learn(outcome, fresh.token, true), ignore),
		};
		this.unproven = fresh;
		const written = tokenWritten.then(() => {
			fresh.token = this.token.read();
		});
		this.signingIn = Promise.race([written, fresh.verdict]).then(() => {
			this.signingIn = undefined;
		});
		const outcome = await answer;
		await fresh.verdict;
		return { outcome, token: fresh.token };
	}

	/** What an answer shows about the token it carried (`signedIn`: the request signed in for it). */
	private learn<T>(outcome: Outcome<T>, token: string, signedIn: boolean): void {
		if (!outcome.ok && isSignInFailure(outcome.failure)) {
			this.credentialFailure = outcome.failure;
			return;
		}
		if (this.unproven?.token !== token) return;
		if (!outcome.ok && isTokenRejection(outcome.failure)) {
			if (signedIn) this.credentialFailure = outcome.failure;
			return;
		}
		// Any other answer from the service got past the token check; a network failure shows nothing.
		if (!outcome.ok && outcome.failure.httpStatus === undefined) return;
		this.unproven = undefined;
		if (token === '') this.tokenless = true;
	}
}
