/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals */
/**
 * URL mode's download, as reference §1.4 describes the service doing it: the answer must be 2xx with an image
 * Content-Type, and arrive in time. Redirects are not followed (UNVERIFIED what the service does).
 */
import http from 'node:http';
import https from 'node:https';

export type Download = { ok: true; bytes: Buffer } | { ok: false; reason: string };

export interface DownloadLimits {
	timeoutMs: number;
	maxBytes: number;
	/** Aborted when the emulator closes. */
	signal: AbortSignal;
}

function collect(
	response: http.IncomingMessage,
	maxBytes: number,
	fail: (reason: string) => void,
	succeed: (bytes: Buffer) => void,
): void {
	const status = response.statusCode ?? 0;
	const contentType = response.headers['content-type'] ?? '';
	if (status < 200 || status > 299) return fail(`the URL answered HTTP ${status}`);
	if (!/^image\//i.test(contentType)) return fail(`the URL answered Content-Type "${contentType}"`);
	const chunks: Buffer[] = [];
	let size = 0;
	response.on('data', (chunk: Buffer) => {
		size += chunk.length;
		if (size > maxBytes) fail(`the file is larger than ${maxBytes} bytes`);
		else chunks.push(chunk);
	});
	response.on('end', () => succeed(Buffer.concat(chunks)));
	response.on('error', (error) => fail(error.message));
}

export function download(url: URL, limits: DownloadLimits): Promise<Download> {
	return new Promise((resolve) => {
		const client = url.protocol === 'https:' ? https : http;
		const request = client.get(url, { agent: false, signal: limits.signal }, (response) =>
			collect(response, limits.maxBytes, fail, (bytes) => finish({ ok: true, bytes })),
		);
		const timer = setTimeout(
			() => fail(`no complete answer within ${limits.timeoutMs} ms`),
			limits.timeoutMs,
		);
		function finish(result: Download): void {
			clearTimeout(timer);
			request.destroy();
			resolve(result);
		}
		function fail(reason: string): void {
			finish({ ok: false, reason });
		}
		request.on('error', (error) => fail(error.message));
	});
}
