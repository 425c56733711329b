import { fail, type ItemFailure, type Outcome } from '../contract/itemFailure';
import { isSignInFailure, isTokenRejection } from '../transport/httpFailure';

/** The token field of the credential data the run's requests share. */
export interface TokenSlot {
	read(): string;
	/** Empties the field, so that the next request signs in first. */
	clear(): void;
}

/**
 * One sign-in for the whole run, however many requests are in flight. n8n signs in whenever a request goes out
 * with an empty token, so only one request may go out while the token is unproven; the others wait for it and
 * then use its token. When the service rejects a token, the first request to see it clears the token and
 * resends, which signs in again; the others that held the same token wait and resend with the new one. Each
 * request is resent at most once.
 *
 * A failed sign-in, or a fresh token that is rejected at once, fails every later request of the run without
 * another call: the credential needs fixing, and a login per item would not help.
 */
export class SignInGate {
	/** Settles when the request that is proving a token has its answer. */
	private proving?: Promise<void>;

	/** A request has been answered with the token as it is now (or without one, where none is needed). */
	private proven = false;

	private credentialFailure?: ItemFailure;

	constructor(private readonly token: TokenSlot) {}

	async send<T>(exchange: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
		for (let resent = false; ; resent = true) {
			while (this.proving) await this.proving;
			if (this.credentialFailure) return fail(this.credentialFailure);
			const token = this.token.read();
			const outcome = this.proven ? await exchange() : await this.prove(exchange);
			if (outcome.ok || resent || !isTokenRejection(outcome.failure)) return outcome;
			while (this.proving) await this.proving;
			// Still the token this request carried: nobody has renewed it yet, so this request does.
			if (this.token.read() === token) {
				this.token.clear();
				this.proven = false;
			}
		}
	}

	private async prove<T>(exchange: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
		const signsIn = this.token.read() === '';
		const answer = exchange();
		this.proving = answer.then(
			() => undefined,
			() => undefined,
		);
		try {
			const outcome = await answer;
			this.learn(outcome, signsIn);
			return outcome;
		} finally {
			this.proving = undefined;
		}
	}

	private learn<T>(outcome: Outcome<T>, signedIn: boolean): void {
		if (outcome.ok) {
			this.proven = true;
			return;
		}
		const { failure } = outcome;
		const rejectedFreshToken = signedIn && isTokenRejection(failure);
		if (isSignInFailure(failure) || rejectedFreshToken) this.credentialFailure = failure;
		// Any other answer from the service got past the token check; a network failure proves nothing.
		else if (failure.httpStatus !== undefined && !isTokenRejection(failure)) this.proven = true;
	}
}
