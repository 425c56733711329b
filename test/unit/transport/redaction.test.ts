import fc from 'fast-check';

import { REDACTED, Redactor } from '../../../nodes/PassportOcr/transport/redaction';

const PASSWORD = 'Tr0ub4dor&3-horse';

describe('Redactor: known secrets', () => {
	it('replaces a secret as sent, every time it occurs', () => {
		const redactor = new Redactor([PASSWORD]);
		expect(redactor.redact(`password=${PASSWORD}; again ${PASSWORD}!`)).toBe(
			`password=${REDACTED}; again ${REDACTED}!`,
		);
	});

	it('replaces a password with quotes, backslashes and unicode when escaped in JSON', () => {
		const password = 'pa"ss\\wörd✓\t"end';
		const redactor = new Redactor([password]);
		const body = JSON.stringify({
			auth: { identity: { password: { user: { name: 'alice', password } } } },
		});
		expect(body).not.toContain(password); // escaped: the plain spelling is not in the body
		const safe = redactor.redact(body);
		expect(safe).toBe(
			'{"auth":{"identity":{"password":{"user":{"name":"alice","password":"[redacted]"}}}}}',
		);
	});

	it('replaces a secret escaped twice (a JSON body quoted inside a JSON error message)', () => {
		const password = 'q"u\\o/te"d';
		const redactor = new Redactor([password]);
		const inner = JSON.stringify({ password });
		const outer = JSON.stringify({ error_msg: `bad request: ${inner}` });
		expect(outer).not.toContain(password);
		expect(outer).not.toContain(JSON.stringify(password).slice(1, -1));
		const safe = redactor.redact(outer);
		expect(safe).toBe(JSON.stringify({ error_msg: 'bad request: {"password":"[redacted]"}' }));
		expect(JSON.parse(safe)).toEqual({ error_msg: 'bad request: {"password":"[redacted]"}' });
	});

	it('replaces a URL-encoded secret', () => {
		const password = 'p@ss w/rd?&=ö';
		const redactor = new Redactor([password]);
		const url = `https://example.com/login?user=alice&password=${encodeURIComponent(password)}`;
		expect(redactor.redact(url)).toBe(`https://example.com/login?user=alice&password=${REDACTED}`);
	});

	it('ignores values shorter than 4 characters and values that are not text', () => {
		const redactor = new Redactor(['abc', '', 'x', 12345, undefined, null, { secret: 'object' }]);
		const text = 'abc x 12345 object [object Object]';
		expect(redactor.redact(text)).toBe(text);
		redactor.add('abcd');
		expect(redactor.redact('abc abcd')).toBe(`abc ${REDACTED}`);
	});

	it('hides a secret that contains another whole, whatever order they were added in', () => {
		for (const order of [
			['abcd', 'xxabcdyy'],
			['xxabcdyy', 'abcd'],
		]) {
			const redactor = new Redactor(order);
			expect(redactor.redact('token xxabcdyy and key abcd')).toBe(
				`token ${REDACTED} and key ${REDACTED}`,
			);
		}
	});

	it('hides tokens added after construction', () => {
		const redactor = new Redactor([PASSWORD]);
		expect(redactor.redact('MIIEtoken-123')).toBe('MIIEtoken-123');
		redactor.add('MIIEtoken-123');
		expect(redactor.redact('X: MIIEtoken-123')).toBe(`X: ${REDACTED}`);
	});

	it('leaves ordinary text unchanged', () => {
		const redactor = new Redactor([PASSWORD, 'AKIDEXAMPLE1234']);
		for (const text of [
			'',
			'The image size does not meet the requirements.',
			'{"error_code":"AIS.0104","error_msg":"recognize failed"}',
			'Authorization is required for this API',
			'The token expired; Signature=abc is too short to be one',
			'<html><body><h1>502 Bad Gateway</h1></body></html>',
			'line one\r\nline two | pipe, comma }',
		]) {
			expect(redactor.redact(text)).toBe(text);
		}
	});
});

describe('Redactor: computed secrets, matched by shape', () => {
	const redactor = new Redactor();

	it('hides an SDK-HMAC-SHA256 Authorization value', () => {
		const header =
			'Authorization: SDK-HMAC-SHA256 Access=HPUAEXAMPLE, SignedHeaders=content-type;host;x-sdk-date, Signature=0123456789abcdef0123456789abcdef';
		const safe = redactor.redact(header);
		expect(safe).toBe(`Authorization: ${REDACTED}`);
		expect(safe).not.toContain('HPUAEXAMPLE');
		expect(safe).not.toContain('0123456789abcdef');
	});

	it('hides an Authorization value echoed in JSON, and keeps what follows', () => {
		const safe = redactor.redact(
			'{"Authorization":"SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host, Signature=abcdef0123456789abcd","Host":"ocr.example.com"}',
		);
		expect(safe).toBe(`{"Authorization":"${REDACTED}","Host":"ocr.example.com"}`);
		expect(redactor.redact('authorization = Bearer eyJhbGciOi.payload.sig')).toBe(
			`authorization = ${REDACTED}`,
		);
	});

	it('hides Signature=<hex> on its own', () => {
		expect(redactor.redact('mismatch: Signature=0123456789ABCDEFabcdef, expected other')).toBe(
			`mismatch: ${REDACTED}, expected other`,
		);
	});

	it.each([
		['X-Auth-Token: MIIEvgYJKoZIhvcNAQcCoIIEr+/=', `X-Auth-Token: ${REDACTED}`],
		['x-subject-token:MIIEabc-def_ghi', `x-subject-token:${REDACTED}`],
		['"x-security-token":"gQpzZWN1cml0eS10b2tlbg=="', `"x-security-token":"${REDACTED}"`],
		["{'X-Security-Token': 'temporary.value'}", `{'X-Security-Token': '${REDACTED}'}`],
		[
			'canonicalRequest:POST|/v2/p/ocr/passport|x-security-token:temp-token|host:ocr',
			`canonicalRequest:POST|/v2/p/ocr/passport|x-security-token:${REDACTED}|host:ocr`,
		],
		[
			'headers: {"X-Auth-Token":"MIIabc","Content-Type":"application/json"}',
			`headers: {"X-Auth-Token":"${REDACTED}","Content-Type":"application/json"}`,
		],
	])('hides the token header echo %j without knowing the value', (text, expected) => {
		expect(redactor.redact(text)).toBe(expected);
	});

	it('hides token and Authorization echoes inside a JSON string (escaped quotes)', () => {
		const echoed = JSON.stringify({
			msg: JSON.stringify({ 'X-Auth-Token': 'MIIabcdef', Authorization: 'Bearer xyz123' }),
		});
		const safe = redactor.redact(echoed);
		expect(safe).not.toContain('MIIabcdef');
		expect(safe).not.toContain('xyz123');
		expect(JSON.parse(JSON.parse(safe).msg)).toEqual({
			'X-Auth-Token': REDACTED,
			Authorization: REDACTED,
		});
	});

	it('hides a secret that an upstream escapes as \\uXXXX in JSON (Python, Go, Jackson)', () => {
		const known = new Redactor(['pa"ss\\wörd✓<&>😀']);
		for (const text of [
			'{"password": "pa\\"ss\\\\w\\u00f6rd\\u2713<&>\\ud83d\\ude00"}',
			'{"password":"pa\\"ss\\\\wörd✓\\u003c\\u0026\\u003e😀"}',
			'{"password":"pa\\"ss\\\\w\\u00F6rd\\u2713<&>\\uD83D\\uDE00"}',
		]) {
			expect(known.redact(text)).toBe(
				`{"password":${text.includes('": "') ? ' ' : ''}"${REDACTED}"}`,
			);
		}
	});

	it('takes a secret that cannot be URL-encoded without failing', () => {
		const odd = new Redactor(['ab\uD800cd']);
		expect(odd.redact('x ab\uD800cd y')).toBe(`x ${REDACTED} y`);
	});
});

describe('Redactor: properties', () => {
	/** Secrets without brackets, so that no secret can overlap the marker that replaces another. */
	const secretChar = fc.constantFrom(
		...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!"#$%&\'()*+,-./:;<=>?@\\^_`{|}~ \n\téü✓€😀',
	);
	const secret = fc
		.array(secretChar, { minLength: 4, maxLength: 24 })
		.map((chars) => chars.join(''))
		.filter((value) => !REDACTED.includes(value));
	const text = fc.string({ maxLength: 40 });

	it('never leaves a secret in random text, nor in JSON holding it', () => {
		fc.assert(
			fc.property(
				fc.array(secret, { minLength: 1, maxLength: 3 }),
				fc.array(text, { minLength: 4, maxLength: 4 }),
				(secrets, [a, b, c, d]) => {
					const redactor = new Redactor(secrets);
					const plain = `${a}${secrets[0]}${b}${secrets.join(c)}${d}`;
					const json = JSON.stringify({ a, secret: secrets[0], nested: { plain, list: secrets } });
					const twice = JSON.stringify({ message: json });
					const url = `https://h/?q=${encodeURIComponent(plain)}`;
					for (const source of [plain, json, twice, url]) {
						const safe = redactor.redact(source);
						for (const value of secrets) {
							expect(safe).not.toContain(value);
							expect(safe).not.toContain(JSON.stringify(value).slice(1, -1));
						}
					}
				},
			),
			{ numRuns: 500 },
		);
	});

	it('changes nothing in text that holds no secret and no header echo', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), secret, (ordinary, value) => {
				fc.pre(!ordinary.includes(value));
				fc.pre(!/authorization|token|signature|SDK-HMAC/i.test(ordinary));
				const redactor = new Redactor([value]);
				for (const spelling of [JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]) {
					fc.pre(!ordinary.includes(spelling));
				}
				fc.pre(!ordinary.includes(JSON.stringify(JSON.stringify(value).slice(1, -1)).slice(1, -1)));
				expect(redactor.redact(ordinary)).toBe(ordinary);
			}),
			{ numRuns: 300 },
		);
	});
});

describe('Redactor: values that change', () => {
	it('hides a token written into the credential data after the redactor was made', () => {
		const data: Record<string, unknown> = { password: 'pw-123456', iamToken: '' };
		const live = new Redactor([], () => [data.password, data.iamToken]);
		expect(live.redact('MIInewtoken')).toBe('MIInewtoken');
		data.iamToken = 'MIInewtoken';
		expect(live.redact('X MIInewtoken Y pw-123456')).toBe(`X ${REDACTED} Y ${REDACTED}`);
		// A token renewed again: both the old and the new one stay hidden.
		data.iamToken = 'MIIthird-token';
		expect(live.redact('MIInewtoken MIIthird-token')).toBe(`${REDACTED} ${REDACTED}`);
	});
});
