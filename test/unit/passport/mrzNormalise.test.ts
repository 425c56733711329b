import { normaliseMrzLine } from '../../../nodes/PassportOcr/passport/mrzNormalise';
import { G42_EXAMPLE, GERMANY_2007, UTOPIA } from './td3Specimens';

describe('normaliseMrzLine', () => {
	it('leaves a clean line alone', () => {
		expect(normaliseMrzLine(UTOPIA.line2, 2)).toEqual({ text: UTOPIA.line2, corrections: [] });
	});

	it('drops the stray spaces of the G42 example, which gives a full 44-character line', () => {
		expect(normaliseMrzLine(G42_EXAMPLE.line1, 1)).toEqual({
			text: 'P<ETFHUZHAO<<ZHAOMIN<DESALEGN<<<<<<<<<<<<<<<',
			corrections: [{ line: 1, change: 'removed 2 spaces' }],
		});
	});

	it('trims surrounding whitespace without calling it a correction', () => {
		expect(normaliseMrzLine(` ${UTOPIA.line1}\n`, 1)).toEqual({
			text: UTOPIA.line1,
			corrections: [],
		});
	});

	it('reads a space as a filler when only that gives 44 characters', () => {
		// Line 1 has no check digits, so a wrong guess here would show only as a name mismatch.
		const spaced = UTOPIA.line1.replace('ANNA<MARIA', 'ANNA MARIA');
		expect(normaliseMrzLine(spaced, 1)).toEqual({
			text: UTOPIA.line1,
			corrections: [{ line: 1, change: 'read a space as <' }],
		});
	});

	it('upper-cases lower-case letters', () => {
		expect(normaliseMrzLine(UTOPIA.line2.toLowerCase(), 2)).toEqual({
			text: UTOPIA.line2,
			corrections: [{ line: 2, change: 'read lower-case letters as capitals' }],
		});
	});

	it('gives back a filler lost from the last run (43 characters)', () => {
		const short = GERMANY_2007.line2.replace('<<<<<<<<<<<<<<<0', '<<<<<<<<<<<<<<0');
		expect(normaliseMrzLine(short, 2)).toEqual({
			text: GERMANY_2007.line2,
			corrections: [{ line: 2, change: 'line had 43 characters; added a < at position 43' }],
		});
	});

	it('drops a filler gained in the last run (45 characters)', () => {
		expect(normaliseMrzLine(`${UTOPIA.line1}<`, 1)).toEqual({
			text: UTOPIA.line1,
			corrections: [{ line: 1, change: 'line had 45 characters; removed the < at position 45' }],
		});
	});

	it('appends a filler to a 43-character line that has none', () => {
		expect(normaliseMrzLine('A'.repeat(43), 2).text).toBe(`${'A'.repeat(43)}<`);
	});

	it('leaves lengths further off, and a 45-character line without fillers, for the parser to report', () => {
		expect(normaliseMrzLine(UTOPIA.line2.slice(0, 40), 2)).toEqual({
			text: UTOPIA.line2.slice(0, 40),
			corrections: [],
		});
		expect(normaliseMrzLine('A'.repeat(45), 2)).toEqual({ text: 'A'.repeat(45), corrections: [] });
	});

	it('records each step when several apply', () => {
		const noisy = 'p<utoeriksson<< anna<maria <<<<<<<<<<<<<<<<<<';
		expect(normaliseMrzLine(noisy, 1)).toEqual({
			text: UTOPIA.line1,
			corrections: [
				{ line: 1, change: 'read lower-case letters as capitals' },
				{ line: 1, change: 'removed 2 spaces' },
				{ line: 1, change: 'line had 43 characters; added a < at position 44' },
			],
		});
	});
});
