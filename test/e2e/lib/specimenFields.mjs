/**
 * The passport fields the node must put out for each emulator specimen: as the service answered them, trimmed
 * (null when not read), plus what the MRZ proves of the fields the service left out.
 */

/**
 * The documented foreign shape has no passport_type or nationality; the Dutch page's MRZ line 2 was not read,
 * so its MRZ gives only the type. The Chinese answer has all 13 fields and no MRZ.
 */
export const FILLED_FROM_MRZ = {
	'china-qian': {},
	'netherlands-van-den-broek': { passport_type: 'P' },
	'utopia-eriksson': { passport_type: 'P', nationality: 'UTO' },
};

/** `{ field: value }` over PASSPORT_FIELDS, in its order, for a fixture of the emulator. */
export function expectedPassportFields(fixture, PASSPORT_FIELDS) {
	const text = (value) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
	const filled = FILLED_FROM_MRZ[fixture.name] ?? {};
	return Object.fromEntries(
		PASSPORT_FIELDS.map((field) => [field, filled[field] ?? text(fixture.result[field])]),
	);
}
