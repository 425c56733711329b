/** A form submission as a browser posts it, and waiting for what a real n8n server does in its own time. */

/** Until `condition()` holds, or `timeoutMs` has passed; its last value. */
export async function waitFor(condition, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	while (!condition() && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	return condition();
}

/** Until `url` answers 200 (n8n registers a published workflow's webhooks a few seconds after it is ready). */
export async function waitUntilServed(url, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const { status } = await fetch(url).catch(() => ({ status: 0 }));
		if (status === 200) return true;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	return false;
}

/**
 * Posts a form submission as a browser does: multipart, a text as it is, a file (`{ bytes, mimeType, fileName }`)
 * under its field's name; several files under one name for a multi-file field.
 * @param fields `[[name, text or file], ...]`
 */
export async function submitForm(url, fields) {
	const body = new FormData();
	for (const [name, value] of fields) {
		if (typeof value === 'string') body.append(name, value);
		else body.append(name, new Blob([value.bytes], { type: value.mimeType }), value.fileName);
	}
	const response = await fetch(url, { method: 'POST', body });
	return { status: response.status, text: await response.text() };
}
