import { mrzNameForms, nameMatchesMrz } from '../../../nodes/PassportOcr/passport/transliteration';

describe('mrzNameForms (Doc 9303 Part 3 §6)', () => {
	it.each([
		['Eriksson', ['ERIKSSON']],
		['anna maria', ['ANNA<MARIA']],
		['  ZHAOMIN DESALEGN ', ['ZHAOMIN<DESALEGN']],
		['Smith-Jones', ['SMITH<JONES']],
		["O'Brien", ['OBRIEN']],
		['D’Artagnan', ['DARTAGNAN']],
		['Van den Broek', ['VAN<DEN<BROEK']],
		['Müller', ['MUELLER', 'MULLER']],
		['Ängström', ['AENGSTROEM', 'AENGSTROM', 'ANGSTROEM', 'ANGSTROM']],
		['Åse', ['AASE', 'ASE']],
		['Bjørn Ærø', ['BJOERN<AEROE']],
		['Strauß', ['STRAUSS']],
		['Þór', ['THOR']],
		['Łukasz Wałęsa', ['LUKASZ<WALESA']],
		['José Cañón', ['JOSE<CANON']],
		['Çelik Šťastný', ['CELIK<STASTNY']],
		['Œuvre', ['OEUVRE']],
		['Smith,  John', ['SMITH<JOHN']],
		['Dr. Who', ['DR<WHO']],
	])('%j → %j', (printed, forms) => {
		expect(mrzNameForms(printed)).toEqual(forms);
	});

	it('reads a decomposed Ü (U plus a combining mark) like a composed one', () => {
		expect(mrzNameForms('MU\u0308LLER')).toEqual(['MUELLER', 'MULLER']);
	});

	it('gives null for a name in another script, which needs a national table', () => {
		expect(mrzNameForms('Иванов')).toBeNull();
		expect(mrzNameForms('钱明月')).toBeNull();
	});

	it('caps the number of spellings for names with many two-way letters', () => {
		const forms = mrzNameForms('ÄÄÄÄÄÄÄÄÄÄÄÄ');
		expect(forms?.length).toBeLessThanOrEqual(64);
		expect(forms).toContain('AE'.repeat(12));
	});
});

describe('nameMatchesMrz', () => {
	it('matches a printed name with its MRZ spelling', () => {
		expect(nameMatchesMrz('Anna Maria', 'ANNA MARIA', false)).toBe(true);
		expect(nameMatchesMrz('Müller', 'MUELLER', false)).toBe(true);
		expect(nameMatchesMrz('Müller', 'MULLER', false)).toBe(true);
		expect(nameMatchesMrz('Smith-Jones', 'SMITH JONES', false)).toBe(true);
	});

	it('tells different names apart', () => {
		expect(nameMatchesMrz('Anna Maria', 'ANNA MARTA', false)).toBe(false);
		expect(nameMatchesMrz('Müller', 'MILLER', false)).toBe(false);
	});

	it('accepts a shortened MRZ name only when it may be truncated', () => {
		expect(
			nameMatchesMrz('Anna Maria Christina Elisabeth', 'ANNA MARIA CHRISTINA ELISABET', true),
		).toBe(true);
		expect(
			nameMatchesMrz('Anna Maria Christina Elisabeth', 'ANNA MARIA CHRISTINA ELISABET', false),
		).toBe(false);
	});

	it('accepts parts cut to initials, or dropped, when truncated', () => {
		expect(nameMatchesMrz('Anna Maria Christina', 'ANNA M C', true)).toBe(true);
		expect(nameMatchesMrz('Anna Maria Christina', 'ANNA', true)).toBe(true);
		expect(nameMatchesMrz('Anna Maria Christina', '', true)).toBe(true);
	});

	it('does not let truncation excuse a different name', () => {
		expect(nameMatchesMrz('Anna Maria Christina', 'ANNA X', true)).toBe(false);
		expect(nameMatchesMrz('Anna Maria', 'ANNA MARIA CHRISTINA', true)).toBe(false);
	});

	it('gives null when the printed name cannot be transliterated', () => {
		expect(nameMatchesMrz('Иванов', 'IVANOV', false)).toBeNull();
	});
});
