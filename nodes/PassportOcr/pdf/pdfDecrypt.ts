/**
 * The standard security handler (ISO 32000-1 §7.6.3, ISO 32000-2 §7.6.4) for PDFs that open without a password:
 * those encrypted with an owner password only, the "permissions" PDFs every viewer opens without asking. Their
 * key comes from the empty user password, so the scan inside can be read. RC4 (40 to 128 bit), AES-128 and
 * AES-256 (revisions 5 and 6) with node's `crypto`; RC4 is written out here, as OpenSSL 3 no longer offers it.
 * A PDF that needs a real password to open is not guessed at: the caller refuses it and says so.
 */
import { createCipheriv, createDecipheriv, createHash } from 'crypto';

import type { PdfDocument } from './pdfDocument';
import { PdfDict, PdfString, asName, asNumber, stringBytes } from './pdfObjects';

export type StreamDecryptor = (data: Buffer, num: number, gen: number) => Buffer;

export type Opening =
	| { ok: true; decrypt: StreamDecryptor }
	| { ok: false; reason: 'password' | 'unsupported'; detail: string };

/** §7.6.3.3 Algorithm 2, step a: the 32 bytes that pad (or stand for) a password. */
const PADDING = Buffer.from(
	'28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a',
	'hex',
);

const md5 = (...parts: Buffer[]) => createHash('md5').update(Buffer.concat(parts)).digest();

export function rc4(key: Uint8Array, data: Uint8Array): Buffer {
	const s = new Uint8Array(256);
	for (let i = 0; i < 256; i++) s[i] = i;
	for (let i = 0, j = 0; i < 256; i++) {
		j = (j + s[i] + key[i % key.length]) & 0xff;
		[s[i], s[j]] = [s[j], s[i]];
	}
	const out = Buffer.alloc(data.length);
	for (let k = 0, i = 0, j = 0; k < data.length; k++) {
		i = (i + 1) & 0xff;
		j = (j + s[i]) & 0xff;
		[s[i], s[j]] = [s[j], s[i]];
		out[k] = data[k] ^ s[(s[i] + s[j]) & 0xff];
	}
	return out;
}

/** AES-CBC with the IV in the first 16 bytes (§7.6.2); PKCS#5 padding removed, or kept when it is not valid. */
function aesDecrypt(key: Buffer, data: Buffer): Buffer {
	if (data.length < 32 || data.length % 16 !== 0) return Buffer.alloc(0);
	const algorithm = key.length === 32 ? 'aes-256-cbc' : 'aes-128-cbc';
	const body = data.subarray(16);
	const decipher = createDecipheriv(algorithm, key, data.subarray(0, 16));
	decipher.setAutoPadding(false);
	const plain = Buffer.concat([decipher.update(body), decipher.final()]);
	const pad = plain[plain.length - 1];
	const padded =
		pad >= 1 && pad <= 16 && plain.subarray(plain.length - pad).every((b) => b === pad);
	return padded ? plain.subarray(0, plain.length - pad) : plain;
}

type Method = 'none' | 'rc4' | 'aes128' | 'aes256';

/** How streams are encrypted: /V 1–2 RC4; /V 4–5 the crypt filter /StmF names (§7.6.5). */
function streamMethod(doc: PdfDocument, encrypt: PdfDict, v: number): Method | undefined {
	if (v === 1 || v === 2) return 'rc4';
	if (v !== 4 && v !== 5) return undefined;
	const name = asName(doc.resolve(encrypt.get('StmF'))) ?? 'Identity';
	if (name === 'Identity') return 'none';
	const filter = doc.resolveDict(doc.resolveDict(encrypt.get('CF'))?.get(name) ?? null);
	switch (asName(doc.resolve(filter?.get('CFM') ?? null))) {
		case 'V2':
			return 'rc4';
		case 'AESV2':
			return 'aes128';
		case 'AESV3':
			return 'aes256';
		case 'None':
			return 'none';
		default:
			return undefined;
	}
}

const bytesOf = (doc: PdfDocument, dict: PdfDict, key: string): Buffer => {
	const value = doc.resolve(dict.get(key));
	return value instanceof PdfString ? stringBytes(value) : Buffer.alloc(0);
};

/** §7.6.3.3 Algorithms 2, 6 (and 4, 5): the file key from the empty user password, if that password opens it. */
function keyFromEmptyPassword(
	doc: PdfDocument,
	encrypt: PdfDict,
	r: number,
	keyLength: number,
	id: Buffer,
): Buffer | undefined {
	const owner = bytesOf(doc, encrypt, 'O').subarray(0, 32);
	const user = bytesOf(doc, encrypt, 'U');
	const p = Buffer.alloc(4);
	p.writeInt32LE((asNumber(doc.resolve(encrypt.get('P'))) ?? 0) | 0);
	const keepMetadata = doc.resolve(encrypt.get('EncryptMetadata')) !== false;
	let key = md5(
		PADDING,
		owner,
		p,
		id,
		r >= 4 && !keepMetadata ? Buffer.from([0xff, 0xff, 0xff, 0xff]) : Buffer.alloc(0),
	).subarray(0, keyLength);
	if (r >= 3) for (let i = 0; i < 50; i++) key = md5(key).subarray(0, keyLength);
	if (r === 2) return rc4(key, PADDING).equals(user.subarray(0, 32)) ? key : undefined;
	let check = rc4(key, md5(PADDING, id));
	for (let i = 1; i <= 19; i++) {
		check = rc4(
			key.map((byte) => byte ^ i),
			check,
		);
	}
	return check.equals(user.subarray(0, 16)) ? key : undefined;
}

/** ISO 32000-2 §7.6.4.3.4 Algorithm 2.B: the revision 6 hash (revision 5 is a plain SHA-256). */
function hash2B(password: Buffer, salt: Buffer, r: number): Buffer {
	let k = createHash('sha256')
		.update(Buffer.concat([password, salt]))
		.digest();
	if (r === 5) return k;
	let e = Buffer.alloc(1);
	for (let round = 0; round < 64 || e[e.length - 1] > round - 32; round++) {
		const block = Buffer.concat([password, k]);
		const k1 = Buffer.concat(new Array<Buffer>(64).fill(block));
		const cipher = createCipheriv('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32));
		cipher.setAutoPadding(false);
		e = Buffer.concat([cipher.update(k1), cipher.final()]);
		let sum = 0;
		for (let i = 0; i < 16; i++) sum += e[i];
		k = createHash(['sha256', 'sha384', 'sha512'][sum % 3])
			.update(e)
			.digest();
	}
	return k.subarray(0, 32);
}

/** ISO 32000-2 Algorithm 2.A for the empty user password: the file key from /UE, if the password opens it. */
function aes256Key(doc: PdfDocument, encrypt: PdfDict, r: number): Buffer | undefined {
	const user = bytesOf(doc, encrypt, 'U');
	const wrapped = bytesOf(doc, encrypt, 'UE');
	if (user.length < 48 || wrapped.length < 32) return undefined;
	const empty = Buffer.alloc(0);
	if (!hash2B(empty, user.subarray(32, 40), r).equals(user.subarray(0, 32))) return undefined;
	const decipher = createDecipheriv(
		'aes-256-cbc',
		hash2B(empty, user.subarray(40, 48), r),
		Buffer.alloc(16),
	);
	decipher.setAutoPadding(false);
	return Buffer.concat([decipher.update(wrapped.subarray(0, 32)), decipher.final()]);
}

/** Opens the document's encryption with the empty user password, or says why it cannot. */
export function openEncryption(doc: PdfDocument): Opening {
	const encrypt = doc.resolveDict(doc.trailer.get('Encrypt'));
	if (!encrypt)
		return { ok: false, reason: 'unsupported', detail: 'its encryption settings are missing' };
	const handler = asName(doc.resolve(encrypt.get('Filter')));
	if (handler !== 'Standard') {
		return {
			ok: false,
			reason: 'unsupported',
			detail: `it is encrypted for particular people (${handler ?? 'an unknown'} security, with certificates)`,
		};
	}
	const v = asNumber(doc.resolve(encrypt.get('V'))) ?? 0;
	const r = asNumber(doc.resolve(encrypt.get('R'))) ?? 0;
	const method = streamMethod(doc, encrypt, v);
	if (!method || r < 2 || r > 6) {
		return {
			ok: false,
			reason: 'unsupported',
			detail: `it uses an encryption method this node does not know (V ${v}, R ${r})`,
		};
	}
	const needsPassword: Opening = {
		ok: false,
		reason: 'password',
		detail: 'it needs a password to open',
	};
	if (r >= 5) {
		const key = aes256Key(doc, encrypt, r);
		if (!key) return needsPassword;
		return { ok: true, decrypt: (data) => (method === 'none' ? data : aesDecrypt(key, data)) };
	}
	const ids = doc.resolve(doc.trailer.get('ID'));
	const first = Array.isArray(ids) ? doc.resolve(ids[0] ?? null) : null;
	const id = first instanceof PdfString ? stringBytes(first) : Buffer.alloc(0);
	const bits = v === 1 ? 40 : (asNumber(doc.resolve(encrypt.get('Length'))) ?? 40);
	const keyLength = v === 4 ? 16 : Math.min(16, Math.max(5, Math.floor(bits / 8)));
	const key = keyFromEmptyPassword(doc, encrypt, r, keyLength, id);
	if (!key) return needsPassword;
	return {
		ok: true,
		decrypt: (data, num, gen) => {
			if (method === 'none') return data;
			// §7.6.2 Algorithm 1: each object's key mixes in its number and generation.
			const salt = method === 'aes128' ? Buffer.from('sAlT', 'latin1') : Buffer.alloc(0);
			const objectId = Buffer.from([num, num >> 8, num >> 16, gen, gen >> 8]);
			const objectKey = md5(key, objectId, salt).subarray(0, Math.min(keyLength + 5, 16));
			return method === 'aes128' ? aesDecrypt(objectKey, data) : rc4(objectKey, data);
		},
	};
}
