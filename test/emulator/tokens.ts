import { createHash, randomBytes } from 'node:crypto';

import type { EmulatorAccount, EmulatorProject } from './types';

export interface NamedId {
	id: string;
	name: string;
}

export interface IssuedToken {
	value: string;
	user: NamedId;
	domain: NamedId;
	/** Absent for a domain-scoped token, which OCR refuses with ModelArts.0212. */
	project?: EmulatorProject;
	issuedAt: number;
	expiresAt: number;
}

/** IAM IDs are 32 hex digits; deriving them from names keeps them stable across runs. */
function iamId(...names: string[]): string {
	return createHash('sha256').update(names.join('/')).digest('hex').slice(0, 32);
}

export function domainOf(account: EmulatorAccount): NamedId {
	return { id: iamId('domain', account.domain), name: account.domain };
}

export function userOf(account: EmulatorAccount): NamedId {
	return { id: iamId('user', account.domain, account.user), name: account.user };
}

/**
 * Real tokens are base64 PKI blobs of several KB starting `MII` (a DER SEQUENCE); clients must carry them in
 * a header without truncation, so the emulator issues the same size and alphabet.
 */
function newTokenValue(): string {
	return `MIIatAYJKoZIhvcNAQcCoIIapTCC${randomBytes(6800).toString('base64').replace(/\//g, '-')}`;
}

export class TokenStore {
	private readonly tokens = new Map<string, IssuedToken>();

	issue(grant: Omit<IssuedToken, 'value' | 'expiresAt'>, ttlMs: number): IssuedToken {
		const token = { ...grant, value: newTokenValue(), expiresAt: grant.issuedAt + ttlMs };
		this.tokens.set(token.value, token);
		return token;
	}

	find(value: string): IssuedToken | undefined {
		return this.tokens.get(value);
	}

	/** Every token value issued so far, for tests that check none of them leaked. */
	values(): string[] {
		return [...this.tokens.keys()];
	}

	expireAll(now: number): void {
		for (const token of this.tokens.values()) token.expiresAt = Math.min(token.expiresAt, now);
	}
}

export function isExpired(token: IssuedToken, now: number): boolean {
	return now >= token.expiresAt;
}
