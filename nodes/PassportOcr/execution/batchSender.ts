import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	IExecuteFunctions,
} from 'n8n-workflow';

import { fail, type ItemFailure, type Outcome } from '../contract/itemFailure';
import type { PassportResponse } from '../contract/passportApi';
import { CREDENTIAL_TYPE, TOKEN_FIELD } from '../transport/credentialSettings';
import { type PassportExchange, type PassportSender } from '../transport/passportRequest';
import { systemClock, waitUntil, type Clock } from './clock';
import { backoffMs, isThrottling, isWorthRetrying } from './retryPolicy';
import { SharedPacing } from './sharedPacing';
import { SignInGate, watchTokenField } from './signInGate';

export interface RetrySettings {
	/** How long after its first failure an item may still start a retry; 0 turns retries off. */
	maxRetryMs: number;
}

export interface SenderEnvironment {
	clock: Clock;
	random: () => number;
	/** Aborted when the execution is cancelled: waiting stops and no retry starts. */
	signal?: AbortSignal;
}

/** Where an item stands in its retries. */
interface Attempts {
	count: number;
	firstFailureAt?: number;
}

type NextTry = { at: number; final?: undefined } | { final: Outcome<never> };

const seconds = (ms: number): string => String(Math.round(ms / 100) / 10);

/** Says in the failure why the item stopped retrying, so a user knows whether to raise Max Retry Time. */
function gaveUp(failure: ItemFailure, attempts: Attempts, waitMs: number, maxRetryMs: number) {
	const limit = `Max Retry Time (${seconds(maxRetryMs)} s)`;
	const note =
		attempts.count > 1
			? `Tried ${attempts.count} times; ${limit} allows no more.`
			: `Not retried: the next try would start in ${seconds(waitMs)} s, beyond ${limit}.`;
	return fail({ ...failure, description: `${failure.description} ${note}` });
}

/** The credential data every request of the run carries: one object, so one token. */
export type SharedCredential = ICredentialsDecrypted & { data: ICredentialDataDecryptedObject };

/**
 * Sends the run's requests politely: one sign-in for all of them (`SignInGate`), one pace for all of them
 * when the service throttles (`SharedPacing`), and retries with backoff for failures that pass, each item
 * within Max Retry Time of its first failure.
 */
export class BatchSender implements PassportSender {
	private readonly pacing: SharedPacing;

	private signIn?: Promise<{ credential: SharedCredential; gate: SignInGate }>;

	constructor(
		private readonly loadCredential: () => Promise<SharedCredential>,
		private readonly settings: RetrySettings,
		private readonly environment: SenderEnvironment,
	) {
		this.pacing = new SharedPacing(environment.clock, environment.random);
	}

	async send(exchange: PassportExchange): Promise<Outcome<PassportResponse>> {
		this.signIn ??= this.loadCredential().then((credential) => ({
			credential,
			gate: new SignInGate(watchTokenField(credential.data, TOKEN_FIELD)),
		}));
		const { credential, gate } = await this.signIn;
		const attempts: Attempts = { count: 0 };
		for (;;) {
			attempts.count++;
			const outcome = await gate.send(async () => await this.paced(exchange, credential));
			if (outcome.ok) return outcome;
			const next = this.nextTry(outcome.failure, attempts);
			if (next.final) return next.final;
			await waitUntil(this.environment.clock, () => next.at, this.environment.signal);
		}
	}

	/** When the item tries again after `failure`, or the failure it ends with. */
	private nextTry(failure: ItemFailure, attempts: Attempts): NextTry {
		const { clock, random, signal } = this.environment;
		if (!isWorthRetrying(failure) || signal?.aborted === true) return { final: fail(failure) };
		const now = clock.now();
		attempts.firstFailureAt ??= now;
		const at = isThrottling(failure)
			? this.pacing.resumesAt()
			: now + backoffMs(failure, attempts.count - 1, random);
		const { maxRetryMs } = this.settings;
		if (at - attempts.firstFailureAt <= maxRetryMs) return { at };
		return {
			final: maxRetryMs > 0 ? gaveUp(failure, attempts, at - now, maxRetryMs) : fail(failure),
		};
	}

	/**
	 * One attempt, sent once the run's pace allows. A throttled answer pauses the run before any other request
	 * learns of it, so none that was waiting (for the pace, or for a sign-in) slips out during the pause.
	 */
	private async paced(
		exchange: PassportExchange,
		credential: SharedCredential,
	): Promise<Outcome<PassportResponse>> {
		await this.pacing.ready(this.environment.signal);
		const sentAt = this.environment.clock.now();
		const outcome = await exchange(credential);
		if (outcome.ok) this.pacing.succeeded(sentAt);
		else if (isThrottling(outcome.failure)) this.pacing.throttled(outcome.failure, sentAt);
		return outcome;
	}
}

/** The run's credential data, read once; every request of the run carries this same object. */
async function loadSharedCredential(ctx: IExecuteFunctions): Promise<SharedCredential> {
	const data = await ctx.getCredentials(CREDENTIAL_TYPE);
	const reference = ctx.getNode().credentials?.[CREDENTIAL_TYPE];
	return { id: reference?.id ?? '', name: reference?.name ?? '', type: CREDENTIAL_TYPE, data };
}

/** Runs `run` with one `BatchSender` for this node run's requests, created here for this run only. */
export async function withBatchSender<T>(
	ctx: IExecuteFunctions,
	settings: RetrySettings,
	run: (sender: BatchSender) => Promise<T>,
): Promise<T> {
	const sender = new BatchSender(async () => await loadSharedCredential(ctx), settings, {
		clock: systemClock,
		random: Math.random,
		signal: ctx.getExecutionCancelSignal(),
	});
	return await run(sender);
}
