/**
 * AK/SK admission (reference §4.2, §8.7–8.9): the gateway finds the key, checks the signature time against its
 * own clock, recomputes the signature over the SignedHeaders the request names, and answers APIGW.0301 with the
 * documented messages: `ak ... not exist`, `calc aksk signature fail:signature expired, ...` and
 * `verify aksk signature fail, canonicalRequest:...` (its canonical request, `\n` shown as `|`).
 * UNVERIFIED choices: a temporary key without its own security token is unknown (`ak ... not exist`), a missing
 * or unreadable Authorization or X-Sdk-Date is a plain `verify aksk signature fail`, and a project the key's
 * account does not have in this region, or an X-Project-Id that differs from the path, is `verify project fail`.
 */
import {
	formatSdkDate,
	parseAuthorization,
} from '../../nodes/PassportOcr/credential/requestSigning';
import { verifySignature, type ReceivedRequest } from './signatureVerifier';
import type { Authentication } from './gateway';
import { errorReply } from './replies';
import { userOf } from './tokens';
import type { EmulatorAccessKey, EmulatorAccount } from './types';

export interface SignedCallContext {
	accounts: readonly EmulatorAccount[];
	region: string;
}

export interface SignedCall {
	request: ReceivedRequest;
	projectId: string;
	requestId: string;
	/** The server's clock, ms since the epoch. */
	now: number;
}

const REFUSAL = 'Incorrect IAM authentication information: ';

/** Whether the call carries an AK/SK signature rather than no credential at all. */
export function isSignedCall(authorization: string | undefined): boolean {
	return authorization?.trim().startsWith('SDK-') ?? false;
}

function header(request: ReceivedRequest, name: string): string | undefined {
	const value = request.headers[name];
	return Array.isArray(value) ? value.join(', ') : (value as string | undefined);
}

function findKey(accounts: readonly EmulatorAccount[], accessKey: string) {
	for (const account of accounts) {
		const key = account.accessKeys?.find((candidate) => candidate.accessKey === accessKey);
		if (key) return { account, key };
	}
	return undefined;
}

function holdsToken(key: EmulatorAccessKey, request: ReceivedRequest): boolean {
	return (
		key.securityToken === undefined || header(request, 'x-security-token') === key.securityToken
	);
}

export function authenticateSignedCall(
	context: SignedCallContext,
	call: SignedCall,
): Authentication {
	const { request, requestId } = call;
	const refuse = (detail: string): Authentication => ({
		ok: false,
		reply: errorReply('APIGW.0301', requestId, { message: REFUSAL + detail }),
	});
	const authorization = parseAuthorization(header(request, 'authorization') ?? '');
	if (!authorization) return refuse('verify aksk signature fail');
	const found = findKey(context.accounts, authorization.accessKey);
	if (!found || !holdsToken(found.key, request)) {
		return refuse(`ak ${authorization.accessKey} not exist`);
	}
	const serverTime = new Date(call.now);
	const verdict = verifySignature(request, found.key.secretKey, serverTime);
	if (!verdict.ok && verdict.reason === 'expired') {
		const signedAt = header(request, 'x-sdk-date')?.trim();
		return refuse(
			`calc aksk signature fail:signature expired, signature time:${signedAt},server time:${formatSdkDate(serverTime)}`,
		);
	}
	if (!verdict.ok && verdict.canonicalRequest !== undefined) {
		const shown = verdict.canonicalRequest.replace(/\n/g, '|');
		return refuse(`verify aksk signature fail, canonicalRequest:${shown}`);
	}
	if (!verdict.ok) return refuse('verify aksk signature fail');
	const project = found.account.projects.find(
		(candidate) => candidate.id === call.projectId && candidate.region === context.region,
	);
	const projectHeader = header(request, 'x-project-id');
	if (!project || (projectHeader !== undefined && projectHeader !== call.projectId)) {
		return refuse('verify project fail');
	}
	return { ok: true, caller: { userId: userOf(found.account).id, project } };
}
