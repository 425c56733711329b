import type { ICredentialsDecrypted } from 'n8n-workflow';

import { fail, succeed, type Outcome } from '../contract/itemFailure';
import type { PassportResponse } from '../contract/passportApi';
import { TOKEN_FIELD } from '../credential/credentialSettings';
import type { SharedCredential } from '../credential/runCredential';
import {
	judgePassportExchange,
	type FailureContext,
	type Verdict,
} from '../policy/attemptVerdicts';
import { nextStep, type ItemHistory } from '../policy/retryTiming';
import type { Exchange } from '../transport/exchange';
import { systemClock, waitUntil, type Clock } from './clock';
import { SharedPacing } from './sharedPacing';
import { SignInGate, watchTokenField } from './signInGate';

export interface RetrySettings {
	/** How long after an item's first attempt it may still start another; 0 turns retries off. */
	maxRetryMs: number;
}

export interface SenderEnvironment {
	clock: Clock;
	random: () => number;
	/** Aborted when the run stops (an item failed for good, or the execution was cancelled). */
	signal: AbortSignal;
}

/** One attempt of an item's request, with the run's shared credential data attached. */
export type Attempt = (credential: ICredentialsDecrypted, signal: AbortSignal) => Promise<Exchange>;

const STOPPED: Extract<Verdict, { ok: false }> = {
	ok: false,
	remedy: 'stop',
	failure: {
		kind: 'service',
		code: 'RUN.STOPPED',
		message: 'The run stopped before this item was read',
		description: 'Another item failed for good, or the execution was stopped.',
		scope: 'run',
	},
};

/**
 * Carries out the failure policy's decisions for the run's requests: one sign-in for all of them (`SignInGate`),
 * one pace for all of them when the service throttles (`SharedPacing`), retries and one renewal per item as
 * `nextStep` says, and nothing more once the run's signal aborts.
 */
export class BatchSender {
	private readonly pacing: SharedPacing;

	private readonly gate: SignInGate;

	/** The attempts in flight; the run's signal reaches them through one listener, not one each. */
	private readonly inFlight = new Set<AbortController>();

	constructor(
		private readonly credential: SharedCredential,
		private readonly settings: RetrySettings,
		private readonly environment: SenderEnvironment,
	) {
		this.pacing = new SharedPacing(environment.clock, environment.random);
		this.gate = new SignInGate(watchTokenField(credential.data, TOKEN_FIELD));
		environment.signal.addEventListener(
			'abort',
			() => {
				for (const attempt of this.inFlight) attempt.abort();
			},
			{ once: true },
		);
	}

	async send(attempt: Attempt, context: FailureContext): Promise<Outcome<PassportResponse>> {
		const { clock, signal } = this.environment;
		const history: ItemHistory = { startedAt: clock.now(), attempts: 0, renewed: false };
		for (;;) {
			if (signal.aborted) return fail(STOPPED.failure);
			const beyond = this.pausedBeyondWindow(history);
			if (beyond) return fail(beyond);
			const gated = await this.gate.send(async () => await this.paced(attempt, context));
			if (gated === undefined) return fail(this.gate.failure() ?? STOPPED.failure);
			history.attempts++;
			const { verdict, token } = gated;
			if (verdict.ok) return succeed(verdict.response);
			if (signal.aborted) return fail(STOPPED.failure);
			const step = nextStep(verdict, history, {
				now: clock.now(),
				maxRetryMs: this.settings.maxRetryMs,
				random: this.environment.random,
				pacedUntil: this.pacing.resumesAt(),
			});
			if (step.step === 'give-up') return fail(step.failure);
			if (step.step === 'renew') {
				history.renewed = true;
				await this.gate.renew(token);
			} else {
				await waitUntil(clock, () => step.at, signal);
			}
		}
	}

	/** The throttling that holds the run back longer than this item may wait, if any. */
	private pausedBeyondWindow(history: ItemHistory) {
		const throttled = this.pacing.latestThrottling();
		const now = this.environment.clock.now();
		const resumesAt = this.pacing.resumesAt();
		if (!throttled || resumesAt <= now) return undefined;
		const step = nextStep(
			{ ok: false, remedy: 'throttle', failure: throttled },
			{ ...history, attempts: Math.max(1, history.attempts) },
			{
				now,
				maxRetryMs: this.settings.maxRetryMs,
				random: this.environment.random,
				pacedUntil: resumesAt,
			},
		);
		return step.step === 'give-up' ? step.failure : undefined;
	}

	/**
	 * One attempt, sent once the run's pace allows. A throttled answer pauses the run before any other request
	 * learns of it, so none that was waiting (for the pace, or for a sign-in) slips out during the pause.
	 */
	private async paced(attempt: Attempt, context: FailureContext): Promise<Verdict> {
		const { clock, signal } = this.environment;
		await this.pacing.ready(signal);
		if (signal.aborted) return STOPPED;
		const sentAt = clock.now();
		const own = new AbortController();
		this.inFlight.add(own);
		let exchanged: Exchange;
		try {
			exchanged = await attempt(this.credential, own.signal);
		} finally {
			this.inFlight.delete(own);
		}
		const verdict = judgePassportExchange(exchanged, context);
		if (verdict.ok) this.pacing.succeeded(sentAt);
		else if (verdict.remedy === 'throttle') this.pacing.throttled(verdict.failure, sentAt);
		return verdict;
	}
}

export const systemEnvironment = (signal: AbortSignal): SenderEnvironment => ({
	clock: systemClock,
	random: Math.random,
	signal,
});
