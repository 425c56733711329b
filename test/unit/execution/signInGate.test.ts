import {
	fail,
	succeed,
	type ItemFailure,
	type Outcome,
} from '../../../nodes/PassportOcr/contract/itemFailure';
import { SignInGate, watchTokenField } from '../../../nodes/PassportOcr/execution/signInGate';
import type { Remedy, Verdict } from '../../../nodes/PassportOcr/policy/attemptVerdicts';
import { VirtualClock } from './virtualClock';

const rejected: ItemFailure = {
	kind: 'service',
	code: 'APIG.0307',
	message: 'token expired',
	description: '',
	scope: 'item',
	httpStatus: 401,
};
const signInFailed: ItemFailure = {
	kind: 'input',
	code: 'IAM.CREDENTIALS',
	message: 'Sign-in failed',
	description: '',
	scope: 'item',
	httpStatus: 401,
};
const notAPassport: ItemFailure = { ...rejected, code: 'AIS.0104', httpStatus: 400 };
const dropped: ItemFailure = { ...rejected, code: 'NETWORK.ECONNRESET', httpStatus: undefined };

/** The failure policy's remedies for the failures these tests use. */
const REMEDIES: Record<string, Remedy> = {
	'APIG.0307': 'renew',
	'IAM.CREDENTIALS': 'stop',
	'AIS.0104': 'fail',
	'NETWORK.ECONNRESET': 'retry',
};

const verdictOf = (outcome: Outcome<string>): Verdict =>
	outcome.ok
		? { ok: true, response: { result: { token: outcome.value } } }
		: { ok: false, remedy: REMEDIES[outcome.failure.code], failure: outcome.failure };

/**
 * Sends through the gate as the batch sender does: a token rejection is renewed once and sent again; anything
 * else comes back as it is.
 */
async function send(gate: SignInGate, exchange: () => Promise<Outcome<string>>) {
	for (let renewed = false; ; renewed = true) {
		const gated = await gate.send(async () => verdictOf(await exchange()));
		if (gated === undefined) return fail(gate.failure() as ItemFailure);
		const { verdict, token } = gated;
		if (verdict.ok) return succeed(String(verdict.response.result.token));
		if (verdict.remedy !== 'renew' || renewed) return fail(verdict.failure);
		await gate.renew(token);
	}
}

/**
 * What sits behind the gate, as n8n and the gateway behave: a request whose shared token is empty signs in
 * first and writes the token into the shared data (as n8n's preAuthentication does), then the gateway accepts
 * only the latest token it issued.
 */
class TokenService {
	logins = 0;
	calls = 0;
	inFlight = 0;
	peak = 0;
	valid = '';
	signInWorks = true;
	/** Answers every accepted call with this, instead of a result. */
	answer?: ItemFailure;
	readonly shared: Record<string, string> = { token: '' };
	readonly slot = watchTokenField(this.shared, 'token');

	constructor(private readonly clock: VirtualClock) {}

	/** Every token issued so far stops working. */
	expire(): void {
		this.valid = 'expired';
	}

	readonly exchange = async (): Promise<Outcome<string>> => {
		if (this.shared.token === '') {
			this.logins++;
			await this.clock.sleep(50);
			if (!this.signInWorks) return fail(signInFailed);
			this.valid = `token-${this.logins}`;
			this.shared.token = this.valid;
		}
		const carried = this.shared.token;
		this.calls++;
		this.peak = Math.max(this.peak, ++this.inFlight);
		await this.clock.sleep(100);
		this.inFlight--;
		if (carried !== this.valid) return fail(rejected);
		return this.answer ? fail(this.answer) : succeed(carried);
	};
}

function setup() {
	const clock = new VirtualClock();
	const service = new TokenService(clock);
	const gate = new SignInGate(service.slot);
	const sendMany = async (count: number) =>
		await clock.run(
			Promise.all(Array.from({ length: count }, async () => await send(gate, service.exchange))),
		);
	return { clock, service, gate, sendMany };
}

describe('SignInGate', () => {
	it('signs in once for many requests sent at once, and sends the rest as soon as the token is there', async () => {
		const { clock, service, gate } = setup();
		const sentAt: number[] = [];
		const timed = async () => {
			const outcome = await service.exchange();
			sentAt.push(clock.now() - 100);
			return outcome;
		};
		const outcomes = await clock.run(
			Promise.all(Array.from({ length: 8 }, async () => await send(gate, timed))),
		);
		expect(outcomes).toEqual(Array.from({ length: 8 }, () => succeed('token-1')));
		expect(service.logins).toBe(1);
		expect(service.peak).toBe(8);
		// The sign-in takes 50 ms: every call left then, none waited for the first one's answer.
		expect(sentAt).toEqual(Array.from({ length: 8 }, () => 50));
	});

	it('uses a stored token without signing in', async () => {
		const { service, sendMany } = setup();
		service.valid = 'stored';
		service.shared.token = 'stored';
		expect(await sendMany(4)).toEqual(Array.from({ length: 4 }, () => succeed('stored')));
		expect(service.logins).toBe(0);
	});

	it('renews an expired token once for all the requests that met it, and resends each once', async () => {
		const { clock, service, gate, sendMany } = setup();
		await sendMany(1);
		service.expire();
		const outcomes = await sendMany(8);
		expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
		expect(service.logins).toBe(2);
		expect(service.calls).toBe(1 + 8 + 8);
		expect(service.shared.token).toBe('token-2');
		// A later request goes straight through with the renewed token.
		await clock.run(send(gate, service.exchange));
		expect(service.logins).toBe(2);
	});

	it('renews a stored token the service no longer accepts', async () => {
		const { service, sendMany } = setup();
		service.shared.token = 'from-last-week';
		service.valid = 'something-else';
		const outcomes = await sendMany(5);
		expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
		expect(service.logins).toBe(1);
	});

	it('passes a second rejection on instead of signing in again and again', async () => {
		const { clock, service, gate } = setup();
		await clock.run(send(gate, service.exchange));
		let calls = 0;
		const alwaysRejected = async () => {
			calls++;
			return fail(rejected);
		};
		expect(await clock.run(send(gate, alwaysRejected))).toEqual(fail(rejected));
		expect(calls).toBe(2);
	});

	it('after a failed sign-in, fails every later request with the same failure and no call', async () => {
		const { service, sendMany } = setup();
		service.signInWorks = false;
		const outcomes = await sendMany(6);
		expect(outcomes).toEqual(Array.from({ length: 6 }, () => fail(signInFailed)));
		expect(service.logins).toBe(1);
		expect(service.calls).toBe(0);
	});

	it('when renewing a rejected stored token fails, gives every request that met it the sign-in failure', async () => {
		const { service, sendMany } = setup();
		service.shared.token = 'from-last-week';
		service.valid = 'something-else';
		service.signInWorks = false;
		const outcomes = await sendMany(3);
		expect(outcomes).toEqual([1, 2, 3].map(() => fail(signInFailed)));
		expect(service.logins).toBe(1);
		expect(service.calls).toBe(3);
	});

	it('after a fresh token is rejected at once, fails the rest without more sign-ins', async () => {
		const { clock, service, gate } = setup();
		const refusesEveryToken = async () => {
			await service.exchange();
			return fail(rejected);
		};
		const outcomes = await clock.run(
			Promise.all([1, 2, 3, 4].map(async () => await send(gate, refusesEveryToken))),
		);
		// A fresh token refused at once means the credential itself is refused: a failure of the whole run.
		expect(outcomes).toEqual([1, 2, 3, 4].map(() => fail({ ...rejected, scope: 'run' })));
		expect(service.logins).toBe(1);
	});

	it('passes answers past the token check on as they are, with one sign-in', async () => {
		const { service, sendMany } = setup();
		service.answer = notAPassport;
		const outcomes = await sendMany(5);
		expect(outcomes).toEqual(Array.from({ length: 5 }, () => fail(notAPassport)));
		expect(service.logins).toBe(1);
		expect(service.calls).toBe(5);
	});

	it('renews a fresh token that expired after the service accepted it, instead of failing the run', async () => {
		const { clock, service, gate } = setup();
		let answered = 0;
		const expiresAfterFirstAnswer = async () => {
			const outcome = await service.exchange();
			if (++answered === 1) service.expire();
			return outcome;
		};
		const outcomes = await clock.run(
			Promise.all([1, 2, 3, 4].map(async () => await send(gate, expiresAfterFirstAnswer))),
		);
		expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
		expect(service.logins).toBe(2);
		expect(service.calls).toBe(1 + 3 + 3);
	});

	it('after a network failure proves nothing, lets the next request prove the token', async () => {
		const { clock, service, gate } = setup();
		let first = true;
		const dropsFirst = async () => {
			const outcome = await service.exchange();
			if (!first) return outcome;
			first = false;
			return fail(dropped);
		};
		const outcomes = await clock.run(
			Promise.all([1, 2, 3].map(async () => await send(gate, dropsFirst))),
		);
		expect(outcomes.map((outcome) => outcome.ok)).toEqual([false, true, true]);
		expect(service.logins).toBe(1);
	});

	it('lets requests through together when the credential needs no token (the field stays empty)', async () => {
		const clock = new VirtualClock();
		let inFlight = 0;
		let peak = 0;
		const gate = new SignInGate(watchTokenField({}, 'token'));
		const signed = async () => {
			peak = Math.max(peak, ++inFlight);
			await clock.sleep(100);
			inFlight--;
			return succeed('signed');
		};
		await clock.run(Promise.all([1, 2, 3, 4, 5].map(async () => await send(gate, signed))));
		expect(peak).toBe(4);
	});
});
