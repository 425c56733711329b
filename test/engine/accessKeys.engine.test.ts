import { PassportOcr } from '../../nodes/PassportOcr/PassportOcr.node';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { HuaweiCloudOcrApi } from '../../credentials/HuaweiCloudOcrApi.credentials';
import type { AuthenticationMethod } from '../../nodes/PassportOcr/credential/credentialSettings';
import {
	FIXTURES,
	defaultAccessKeys,
	startEmulator,
	type EmulatorAccount,
	type EmulatorOptions,
	type RequestLogEntry,
} from '../emulator';
import { runCredentialTest } from './credentialTestRunner';
import { CredentialsStore } from './credentialsStore';
import { CREDENTIAL_ID, NODE_NAME, emulatorCredential, startTestbed } from './passportOcrTestbed';
import { BINARY_SOURCE, passportItem } from './specimens';

const [PERMANENT, TEMPORARY] = defaultAccessKeys();
const SIXTEEN_MINUTES_MS = 16 * 60 * 1000;

/** The stored credential for one of the default account's keys. */
function keyCredential(method: Exclude<AuthenticationMethod, 'iamUser'>) {
	const key = method === 'accessKey' ? PERMANENT : TEMPORARY;
	return {
		authentication: method,
		accessKey: key.accessKey,
		secretKey: key.secretKey,
		...(key.securityToken === undefined ? {} : { securityToken: key.securityToken }),
	};
}

const ocrEntries = (log: RequestLogEntry[]) => log.filter((entry) => entry.kind === 'ocr');
const specimens = () => FIXTURES.map((f) => passportItem(f.name));
const surnames = FIXTURES.map((f) => String(f.result.surname).trim());

const unsubscribed: EmulatorAccount = {
	domain: 'acme',
	user: 'ocr-bot',
	password: 'pw-1',
	projects: [{ id: 'p1', region: 'ap-southeast-1', passportEnabled: false }],
	accessKeys: [{ accessKey: 'ACME-AK', secretKey: 'acme-sk' }],
};

describe('a batch with each authentication method', () => {
	it('IAM user: one sign-in, every request carries the token', async () => {
		const testbed = await startTestbed();
		try {
			const run = await testbed.run(BINARY_SOURCE, { input: specimens() });
			expect(run.outputItems(NODE_NAME).map((item) => item.json.surname)).toEqual(surnames);
			expect(testbed.emulator.logins()).toBe(1);
			expect(ocrEntries(testbed.emulator.log).every((entry) => !entry.accessKey)).toBe(true);
		} finally {
			await testbed.close();
		}
	});

	it.each(['accessKey', 'temporaryAccessKey'] as const)(
		'%s: no sign-in, one key check, then every request signed and verified by the gateway',
		async (method) => {
			const credential = keyCredential(method);
			const testbed = await startTestbed({}, credential);
			try {
				const runs = [
					await testbed.run(BINARY_SOURCE, { input: specimens() }),
					await testbed.run(BINARY_SOURCE, { input: specimens() }),
				];
				for (const run of runs) {
					expect(run.outputItems(NODE_NAME).map((item) => item.json.surname)).toEqual(surnames);
				}
				const [check, ...calls] = ocrEntries(testbed.emulator.log);
				expect(check).toMatchObject({ status: 400, errorCode: 'AIS.0101' });
				expect(calls).toHaveLength(2 * FIXTURES.length);
				expect(calls.every((entry) => entry.status === 200 && entry.bodyMode === 'image')).toBe(
					true,
				);
				expect([check, ...calls].every((entry) => entry.accessKey === credential.accessKey)).toBe(
					true,
				);
				expect(testbed.emulator.logins()).toBe(0);
				expect(testbed.credentials.preAuthenticationCalls).toBe(1);
				expect(testbed.credentials.read(CREDENTIAL_ID).data.iamToken).toBe(
					`access key ending in ${String(credential.accessKey).slice(-4)} checked`,
				);
			} finally {
				await testbed.close();
			}
		},
	);

	it('signs a URL request and a recognizer choice over the body as sent', async () => {
		const testbed = await startTestbed({}, keyCredential('temporaryAccessKey'));
		try {
			const f = FIXTURES[0];
			const run = await testbed.run({
				inputSource: 'url',
				imageUrl: testbed.emulator.fileUrl(f.file),
				options: { recognizer: 'GENERAL' },
			});
			expect(run.outputItems(NODE_NAME)[0].json.passport_number).toBe(f.result.passport_number);
			expect(ocrEntries(testbed.emulator.log).pop()).toMatchObject({
				status: 200,
				bodyMode: 'url',
				countryCode: 'GENERAL',
			});
		} finally {
			await testbed.close();
		}
	});
});

describe('every attempt is signed afresh', () => {
	it('a 401 on a checked key: the key is checked again and the request resent, signed anew', async () => {
		const testbed = await startTestbed({}, keyCredential('temporaryAccessKey'));
		try {
			await testbed.run(BINARY_SOURCE, { input: [passportItem('china-qian')] });
			testbed.emulator.injectFaults(['401']);
			const run = await testbed.run(BINARY_SOURCE, { input: [passportItem('utopia-eriksson')] });
			expect(run.outputItems(NODE_NAME)[0].json.surname).toBe('ERIKSSON');
			const secondRun = ocrEntries(testbed.emulator.log).slice(2);
			expect(secondRun.map((entry) => [entry.status, entry.errorCode ?? entry.bodyMode])).toEqual([
				[401, 'APIGW.0301'],
				[400, 'AIS.0101'],
				[200, 'image'],
			]);
			expect(testbed.credentials.preAuthenticationCalls).toBe(2);
		} finally {
			await testbed.close();
		}
	});

	it('a key whose secret changed after its check: the 401 makes the check say so', async () => {
		const testbed = await startTestbed({}, keyCredential('accessKey'));
		try {
			await testbed.run(BINARY_SOURCE, { input: [passportItem('china-qian')] });
			const stored = testbed.credentials.read(CREDENTIAL_ID);
			testbed.credentials.save({ ...stored, data: { ...stored.data, secretKey: 'rotated-sk' } });
			const run = await testbed.run(BINARY_SOURCE, { input: [passportItem('china-qian')] });
			expect(run.nodeError(NODE_NAME)?.message).toBe(
				"The Secret Access Key does not belong to access key ending in R-AK: paste it again from the key's credentials file",
			);
			const refused = ocrEntries(testbed.emulator.log).slice(2);
			expect(refused.map((entry) => entry.status)).toEqual([401, 401]);
		} finally {
			await testbed.close();
		}
	});
});

const KEY_PROBLEMS: Array<[string, EmulatorOptions, ICredentialDataDecryptedObject, RegExp]> = [
	[
		'an unknown access key',
		{},
		{ accessKey: 'NO-SUCH-AK' },
		/^Access key ending in H-AK does not exist: copy the Access Key ID from My Credentials > Access Keys$/,
	],
	[
		'a wrong secret key',
		{},
		{ secretKey: 'wrong-sk' },
		/^The Secret Access Key does not belong to access key ending in R-AK: paste it again/,
	],
	[
		"a server clock 16 minutes ahead of n8n's",
		{ clockSkewMs: SIXTEEN_MINUTES_MS },
		{},
		/^This computer's clock is 16 minutes behind the service's and the service refuses signatures more than 15 minutes off: set the n8n host's clock right/,
	],
	[
		'a project of another account',
		{},
		{ projectId: 'ffffffffffffffffffffffffffffffff' },
		/^Access key ending in R-AK cannot use project ffffffffffffffffffffffffffffffff: copy the project ID of region ap-southeast-1/,
	],
	[
		'Passport not enabled',
		{ accounts: [unsubscribed] },
		{ accessKey: 'ACME-AK', secretKey: 'acme-sk', projectId: 'p1' },
		/^Passport OCR is not enabled in region ap-southeast-1 of Custom: enable "Passport" in the OCR console there/,
	],
];

describe('what is wrong with an access key, in the run', () => {
	it.each(KEY_PROBLEMS)('%s', async (_, options, overrides, message) => {
		const testbed = await startTestbed(options, { ...keyCredential('accessKey'), ...overrides });
		try {
			const run = await testbed.run(BINARY_SOURCE, { input: [passportItem('china-qian')] });
			expect(run.nodeError(NODE_NAME)?.message).toMatch(message);
			expect(ocrEntries(testbed.emulator.log)).toHaveLength(1);
			expect(testbed.credentials.read(CREDENTIAL_ID).data.iamToken).toBe('');
		} finally {
			await testbed.close();
		}
	});

	it('a temporary key with a security token that is not its own', async () => {
		const overrides = { ...keyCredential('temporaryAccessKey'), securityToken: 'not-the-token' };
		const testbed = await startTestbed({}, overrides);
		try {
			const run = await testbed.run(BINARY_SOURCE, { input: [passportItem('china-qian')] });
			expect(run.nodeError(NODE_NAME)?.message).toMatch(
				/^Access key ending in P-AK does not exist: .*a temporary key stops existing when it expires/,
			);
		} finally {
			await testbed.close();
		}
	});
});

async function pressTest(
	options: EmulatorOptions,
	method: Exclude<AuthenticationMethod, 'iamUser'>,
	overrides: ICredentialDataDecryptedObject = {},
) {
	const emulator = await startEmulator(options);
	try {
		const data = { ...emulatorCredential(emulator, method), ...overrides };
		const store = new CredentialsStore(
			[new HuaweiCloudOcrApi()],
			[{ id: 'c1', name: 'OCR', type: 'huaweiCloudOcrApi', data }],
		);
		const result = await runCredentialTest(store, 'c1', new PassportOcr());
		return { result, emulator, stored: store.read('c1').data };
	} finally {
		await emulator.close();
	}
}

describe('the credential Test button with access keys', () => {
	it.each(['accessKey', 'temporaryAccessKey'] as const)(
		'%s: passes with a key check and the test request, neither billable',
		async (method) => {
			const { result, emulator } = await pressTest({}, method);
			expect(result).toEqual({
				status: 'OK',
				message: 'Connection successful: signed in, and Passport OCR accepts the project',
			});
			expect(emulator.logins()).toBe(0);
			// The key check is itself the request without an image that proves access.
			expect(ocrEntries(emulator.log).map((entry) => entry.errorCode)).toEqual(['AIS.0101']);
		},
	);

	it.each(KEY_PROBLEMS)('says what is wrong for %s', async (_, options, overrides, message) => {
		const { result } = await pressTest(options, 'accessKey', overrides);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
	});
});

describe('secrets stay out of output, errors and the stored run', () => {
	it('never shows the secret key or the security token', async () => {
		const credential = keyCredential('temporaryAccessKey');
		const token = String(credential.securityToken);
		const testbed = await startTestbed({}, credential);
		try {
			const runs = [await testbed.run(BINARY_SOURCE, { input: specimens() })];
			// A signature failure echoes the gateway's canonical request, security token included.
			const stored = testbed.credentials.read(CREDENTIAL_ID);
			testbed.credentials.save({ ...stored, data: { ...stored.data, secretKey: 'rotated-sk' } });
			runs.push(await testbed.run(BINARY_SOURCE, { input: specimens(), continueOnFail: true }));
			expect(runs[1].outputItems(NODE_NAME)[0].json.error).toMatch(/^The Secret Access Key/);
			const refusal = ocrEntries(testbed.emulator.log).find((entry) => entry.status === 401);
			expect(refusal?.errorCode).toBe('APIGW.0301');
			const test = await runCredentialTest(testbed.credentials, CREDENTIAL_ID, new PassportOcr());
			for (const text of [...runs.map((run) => run.serialized), JSON.stringify(test)]) {
				expect(text).not.toContain(credential.secretKey);
				expect(text).not.toContain('rotated-sk');
				expect(text).not.toContain(token.slice(0, 40));
				expect(text).not.toContain(token.slice(-40));
			}
			expect(String(testbed.credentials.read(CREDENTIAL_ID).data.iamToken)).not.toContain(
				credential.secretKey,
			);
		} finally {
			await testbed.close();
		}
	});
});
