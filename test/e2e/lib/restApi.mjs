/**
 * n8n's REST API as the editor calls it: JSON in and out, the session cookie, and the browser ID that n8n ties
 * the session to. Every call ends within `timeoutMs`.
 * @returns `{ response, text, json }`; `json` is undefined when the answer is not JSON
 */
export async function restCall(
	baseUrl,
	route,
	{ method = 'GET', body, cookie, browserId, timeoutMs = 60_000 } = {},
) {
	const response = await fetch(`${baseUrl}/rest${route}`, {
		method,
		headers: {
			'content-type': 'application/json',
			'browser-id': browserId,
			...(cookie ? { cookie } : {}),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
		signal: AbortSignal.timeout(timeoutMs),
	});
	const text = await response.text();
	let json;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { response, text, json };
}
