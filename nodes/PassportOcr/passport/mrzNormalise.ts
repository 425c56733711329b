/**
 * Cleans the OCR noise an MRZ line picks up before its positions are read: lower-case letters, spaces inside
 * the line (the G42 example has `HUZHAO<< ZHAOMIN`) and a length one off from 44. Every change is recorded so a
 * reviewer can see what was read differently from the raw text.
 */

import { TD3_LINE_LENGTH } from './td3Fields';

export interface MrzCorrection {
	line: 1 | 2;
	change: string;
}

export interface NormalisedLine {
	text: string;
	corrections: MrzCorrection[];
}

export function normaliseMrzLine(raw: string, line: 1 | 2): NormalisedLine {
	const corrections: MrzCorrection[] = [];
	const trimmed = raw.trim();
	const upper = trimmed.toUpperCase();
	if (upper !== trimmed) corrections.push({ line, change: 'read lower-case letters as capitals' });
	const spaced = fixInnerSpaces(upper, line, corrections);
	return { text: fixLengthOffByOne(spaced, line, corrections), corrections };
}

/**
 * A space is either an OCR artefact between two characters or a filler read as blank. Dropping spaces is
 * tried first; reading them as `<` wins only when that alone gives a full-length line.
 */
function fixInnerSpaces(text: string, line: 1 | 2, corrections: MrzCorrection[]): string {
	const count = (text.match(/\s/g) ?? []).length;
	if (count === 0) return text;
	const dropped = text.replace(/\s/g, '');
	const asFillers = text.replace(/\s/g, '<');
	const spaces = count === 1 ? 'a space' : `${count} spaces`;
	if (dropped.length !== TD3_LINE_LENGTH && asFillers.length === TD3_LINE_LENGTH) {
		corrections.push({ line, change: `read ${spaces} as <` });
		return asFillers;
	}
	corrections.push({ line, change: `removed ${spaces}` });
	return dropped;
}

/**
 * OCR most often gains or loses a character inside a run of fillers, so one `<` is added to or taken from the
 * last run. If that guess is wrong, the check digits say so.
 */
function fixLengthOffByOne(text: string, line: 1 | 2, corrections: MrzCorrection[]): string {
	const lastFiller = text.lastIndexOf('<');
	if (text.length === TD3_LINE_LENGTH - 1) {
		const at = lastFiller === -1 ? text.length : lastFiller + 1;
		corrections.push({ line, change: `line had 43 characters; added a < at position ${at + 1}` });
		return `${text.slice(0, at)}<${text.slice(at)}`;
	}
	if (text.length === TD3_LINE_LENGTH + 1 && lastFiller !== -1) {
		corrections.push({
			line,
			change: `line had 45 characters; removed the < at position ${lastFiller + 1}`,
		});
		return text.slice(0, lastFiller) + text.slice(lastFiller + 1);
	}
	return text;
}
