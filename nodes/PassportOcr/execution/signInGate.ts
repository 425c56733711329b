import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { signInProblemOf, type ItemFailure } from '../contract/itemFailure';
import type { Verdict } from '../policy/attemptVerdicts';

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

/** A token the run signed in for; `verdict` settles once the signing request's answer has been judged. */
interface FreshToken {
	token: string;
	verdict: Promise<void>;
}

/** What an attempt through the gate came to, and the token it carried. */
export interface GatedAttempt {
	verdict: Verdict;
	token: string;
}

const isSignInFailure = (verdict: Verdict): boolean =>
	!verdict.ok && verdict.remedy === 'stop' && signInProblemOf(verdict.failure.code) !== undefined;

/**
 * One sign-in for the whole run, however many requests are in flight. n8n signs in whenever a request goes out
 * with an empty token, so only one request goes out while the token is empty; the others wait until it has
 * signed in and then go out with its token. When the failure policy says a rejected token should be renewed,
 * `renew` empties it (unless another request already renewed it), so the next attempt signs in again.
 *
 * A failed sign-in, or a fresh token that the service rejects before accepting it once, fails every later
 * request of the run without another call: the credential needs fixing, and a sign-in per item would not help.
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

	/** Why the credential failed for the whole run, once it has. */
	failure(): ItemFailure | undefined {
		return this.credentialFailure;
	}

	async send(attempt: () => Promise<Verdict>): Promise<GatedAttempt | undefined> {
		while (this.signingIn) await this.signingIn;
		if (this.credentialFailure) return undefined;
		const stored = this.token.read();
		return stored === '' && !this.tokenless
			? await this.signIn(attempt)
			: await this.sendWith(stored, attempt);
	}

	/** The service rejected `token`: the next attempt signs in again, unless another request already has. */
	async renew(token: string): Promise<void> {
		if (this.unproven?.token === token) await this.unproven.verdict;
		while (this.signingIn) await this.signingIn;
		// Still the token this request carried: nobody has renewed it yet, so this request does.
		if (this.token.read() === token) this.token.clear();
	}

	private async sendWith(token: string, attempt: () => Promise<Verdict>) {
		const verdict = await attempt();
		this.learn(verdict, token, false);
		return { verdict, token };
	}

	private async signIn(attempt: () => Promise<Verdict>) {
		const tokenWritten = this.token.written();
		const answer = attempt();
		const fresh: FreshToken = {
			token: '',
			verdict: answer.then((verdict) => this.learn(verdict, fresh.token, true), ignore),
		};
		this.unproven = fresh;
		const written = tokenWritten.then(() => {
			fresh.token = this.token.read();
		});
		this.signingIn = Promise.race([written, fresh.verdict]).then(() => {
			this.signingIn = undefined;
		});
		const verdict = await answer;
		await fresh.verdict;
		return { verdict, token: fresh.token };
	}

	/** What a verdict shows about the token it carried (`signedIn`: the request signed in for it). */
	private learn(verdict: Verdict, token: string, signedIn: boolean): void {
		if (isSignInFailure(verdict) && !verdict.ok) {
			this.credentialFailure = verdict.failure;
			return;
		}
		if (this.unproven?.token !== token) return;
		if (!verdict.ok && verdict.remedy === 'renew') {
			if (signedIn) this.credentialFailure = { ...verdict.failure, scope: 'run' };
			return;
		}
		// Any other answer from the service got past the token check; a failure without an answer shows nothing.
		if (!verdict.ok && verdict.failure.httpStatus === undefined) return;
		this.unproven = undefined;
		if (token === '') this.tokenless = true;
	}
}
