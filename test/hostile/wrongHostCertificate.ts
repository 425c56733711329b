/* eslint-disable @n8n/community-nodes/no-restricted-imports */
/**
 * A self-signed certificate for `wrong.example`, made with the `openssl` CLI at test time: Node's crypto can read
 * X.509 certificates but cannot issue one. Nothing is committed; the key lives in a temporary directory only
 * while openssl writes it, then in memory, and the certificate is valid for one day.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface PemPair {
	key: string;
	cert: string;
}

/** The name in the certificate (subject CN and the only subjectAltName); never the host a client dials. */
export const WRONG_HOST = 'wrong.example';

let pending: Promise<PemPair> | undefined;

function run(command: string, args: string[]): Promise<void> {
	return new Promise((resolve, reject) => {
		// Test-only: the fixed openssl command line makes the TLS mode's certificate; nothing user-supplied runs.
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions
		execFile(command, args, { timeout: 20_000 }, (error, _stdout, stderr) => {
			if (!error) return resolve();
			const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
			const hint = missing ? ' (the hostile upstream needs the openssl CLI for its TLS mode)' : '';
			reject(new Error(`${command} failed${hint}: ${error.message}\n${stderr}`));
		});
	});
}

async function generate(): Promise<PemPair> {
	const dir = await mkdtemp(path.join(tmpdir(), 'hostile-tls-'));
	try {
		const keyFile = path.join(dir, 'key.pem');
		const certFile = path.join(dir, 'cert.pem');
		await run('openssl', [
			'req',
			'-x509',
			'-newkey',
			'ec',
			'-pkeyopt',
			'ec_paramgen_curve:prime256v1',
			'-nodes',
			'-keyout',
			keyFile,
			'-out',
			certFile,
			'-days',
			'1',
			'-subj',
			`/CN=${WRONG_HOST}`,
			'-addext',
			`subjectAltName=DNS:${WRONG_HOST}`,
		]);
		const [key, cert] = await Promise.all([readFile(keyFile, 'utf8'), readFile(certFile, 'utf8')]);
		return { key, cert };
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

/** Made once per process, on first use. */
export function wrongHostCertificate(): Promise<PemPair> {
	pending ??= generate().catch((error: unknown) => {
		pending = undefined;
		throw error;
	});
	return pending;
}
