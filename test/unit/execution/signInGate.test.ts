import {
	fail,
	succeed,
	type ItemFailure,
	type Outcome,
} from '../../../nodes/PassportOcr/contract/itemFailure';
import { SignInGate, type TokenSlot } from '../../../nodes/PassportOcr/execution/signInGate';
import { VirtualClock } from './virtualClock';

const rejected: ItemFailure = {
	kind: 'service',
	code: 'APIG.0307',
	message: 'token expired',
	description: '',
	retryable: false,
	httpStatus: 401,
};
const signInFailed: ItemFailure = {
	kind: 'input',
	code: 'IAM.CREDENTIALS',
	message: 'Sign-in failed',
	description: '',
	retryable: false,
	httpStatus: 401,
};
const notAPassport: ItemFailure = { ...rejected, code: 'AIS.0104', httpStatus: 400 };
const dropped: ItemFailure = { ...rejected, code: 'NETWORK.ECONNRESET', httpStatus: undefined };

/**
 * What sits behind the gate, as n8n and the gateway behave: a request whose shared token is empty signs in
 * first (as n8n's preAuthentication does), then the gateway accepts only the latest token it issued.
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
	readonly shared = { token: '' };
	readonly slot: TokenSlot = {
		read: () => this.shared.token,
		clear: () => {
			this.shared.token = '';
		},
	};

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
			Promise.all(Array.from({ length: count }, async () => await gate.send(service.exchange))),
		);
	return { clock, service, gate, sendMany };
}

describe('SignInGate', () => {
	it('signs in once for many requests sent at once, then lets them all through together', async () => {
		const { service, sendMany } = setup();
		const outcomes = await sendMany(8);
		expect(outcomes).toEqual(Array.from({ length: 8 }, () => succeed('token-1')));
		expect(service.logins).toBe(1);
		expect(service.peak).toBe(7);
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
		await clock.run(gate.send(service.exchange));
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
		await clock.run(gate.send(service.exchange));
		let calls = 0;
		const alwaysRejected = async () => {
			calls++;
			return fail(rejected);
		};
		expect(await clock.run(gate.send(alwaysRejected))).toEqual(fail(rejected));
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

	it('after a fresh token is rejected at once, fails the rest without more sign-ins', async () => {
		const { clock, service, gate } = setup();
		const refusesEveryToken = async () => {
			await service.exchange();
			return fail(rejected);
		};
		const outcomes = await clock.run(
			Promise.all([1, 2, 3, 4].map(async () => await gate.send(refusesEveryToken))),
		);
		expect(outcomes).toEqual([1, 2, 3, 4].map(() => fail(rejected)));
		expect(service.logins).toBe(1);
	});

	it('counts any answer past the token check as proof, so the other requests need not wait for a result', async () => {
		const { service, sendMany } = setup();
		service.answer = notAPassport;
		const outcomes = await sendMany(5);
		expect(outcomes).toEqual(Array.from({ length: 5 }, () => fail(notAPassport)));
		expect(service.logins).toBe(1);
		expect(service.peak).toBe(4);
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
			Promise.all([1, 2, 3].map(async () => await gate.send(dropsFirst))),
		);
		expect(outcomes.map((outcome) => outcome.ok)).toEqual([false, true, true]);
		expect(service.logins).toBe(1);
	});

	it('lets requests through together when the credential needs no token (the field stays empty)', async () => {
		const clock = new VirtualClock();
		let inFlight = 0;
		let peak = 0;
		const gate = new SignInGate({ read: () => '', clear: () => undefined });
		const signed = async () => {
			peak = Math.max(peak, ++inFlight);
			await clock.sleep(100);
			inFlight--;
			return succeed('signed');
		};
		await clock.run(Promise.all([1, 2, 3, 4, 5].map(async () => await gate.send(signed))));
		expect(peak).toBe(4);
	});
});
