/**
 * Redis and PostgreSQL from Debian, installed when missing. Debian's maintainer scripts start a
 * freshly installed service (redis on 6379, a "main" PostgreSQL cluster on 5432); this suite starts
 * its own on free ports and must leave nothing running, so the install runs with a policy-rc.d that
 * refuses service starts, as container images ship it.
 */
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { runCapture } from '../../e2e/lib/process.mjs';

const APT_TIMEOUT_MS = 10 * 60_000;

export const REDIS_SERVER = '/usr/bin/redis-server';
const POSTGRES_ROOT = '/usr/lib/postgresql';
const POLICY_RC = '/usr/sbin/policy-rc.d';

/** The bin folder of the newest PostgreSQL Debian installed (initdb, pg_ctl, psql), if any. */
export function postgresBinDir() {
	if (!existsSync(POSTGRES_ROOT)) return undefined;
	const versions = readdirSync(POSTGRES_ROOT)
		.filter((name) => /^\d+$/.test(name))
		.filter((name) => existsSync(path.join(POSTGRES_ROOT, name, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(POSTGRES_ROOT, versions[0], 'bin') : undefined;
}

function missingPackages() {
	const missing = [];
	if (!existsSync(REDIS_SERVER)) missing.push('redis-server');
	if (!postgresBinDir()) missing.push('postgresql');
	return missing;
}

/** Runs `install` with service starts refused, unless the machine already has its own policy. */
async function withServiceStartsRefused(install) {
	if (existsSync(POLICY_RC)) return install();
	writeFileSync(
		POLICY_RC,
		'#!/bin/sh\n# written by test/e2e-queue for the length of an apt-get install\nexit 101\n',
		{
			mode: 0o755,
		},
	);
	try {
		return await install();
	} finally {
		rmSync(POLICY_RC, { force: true });
	}
}

/** @returns the packages installed on this call (empty when both were there) */
export async function ensureRedisAndPostgres(log) {
	const missing = missingPackages();
	if (missing.length === 0) return [];
	log(`installing Debian packages: ${missing.join(' ')}`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	await withServiceStartsRefused(async () => {
		await runCapture('apt-get', ['update'], { env, timeoutMs: APT_TIMEOUT_MS });
		await runCapture('apt-get', ['install', '-y', 'redis-server', 'postgresql'], {
			env,
			timeoutMs: APT_TIMEOUT_MS,
		});
	});
	const still = missingPackages();
	if (still.length) throw new Error(`apt-get install left these missing: ${still.join(' ')}`);
	return missing;
}
