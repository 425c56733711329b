/** Which part of the emulator a request is for: IAM, the passport API, a served file, or nothing. */

export type Route =
	| { kind: 'login' }
	| { kind: 'ocr'; projectId: string }
	| { kind: 'file'; name: string }
	| { kind: 'other' };

export function routeOf(method: string, pathname: string): Route {
	const ocr = /^\/v2\/([^/]+)\/ocr\/passport$/.exec(pathname);
	const file = /^\/files\/([^/]+)$/.exec(pathname);
	try {
		if (pathname === '/v3/auth/tokens' && method === 'POST') return { kind: 'login' };
		if (ocr && method === 'POST') return { kind: 'ocr', projectId: decodeURIComponent(ocr[1]) };
		if (file && method === 'GET') return { kind: 'file', name: decodeURIComponent(file[1]) };
	} catch {
		// A malformed percent-escape names nothing this server has.
	}
	return { kind: 'other' };
}
