/**
 * Where each field of the output comes from. The service's value comes first. A field it left out (for a
 * foreign passport: nationality and the document code always, ICAO's 7 fields when unread) is taken from the
 * MRZ when the MRZ proves it: the line was read, the field is well formed (a known ICAO code for a country),
 * and every check digit covering it holds. A printed value that differs from a check-digit-proven MRZ value
 * only by confusable characters takes the MRZ's. Names carry no check digit and are never repaired.
 */

import type { PassportField } from '../contract/passportApi';
import { type Repair, describeSubstitutions, differsOnlyByConfusables } from './confusables';
import type { Td3Fields, Td3Result } from './parseTd3';
import type { PrintedFieldValues } from './printedFields';
import type { Td3CheckDigitName } from './td3Fields';

export interface ResolvedFields {
	/** The service's values, with proven repairs: what is compared with the MRZ. */
	printed: PrintedFieldValues;
	/** Those, plus the fields taken from the MRZ: what the output shows and the printed checks judge. */
	values: PrintedFieldValues;
	filled_from_mrz: PassportField[];
	repairs: Repair[];
}

interface MrzSource {
	field: PassportField;
	from: keyof Omit<Td3Fields, 'name_may_be_truncated'>;
	/** The check digits covering the value; a repair of the printed value needs at least one. */
	checkDigits: readonly Td3CheckDigitName[];
}

/** In the order of `PASSPORT_FIELDS`, so `filled_from_mrz` lists them as the output does. */
const MRZ_SOURCES: readonly MrzSource[] = [
	{ field: 'passport_type', from: 'document_code', checkDigits: [] },
	{ field: 'country_code', from: 'issuing_state', checkDigits: [] },
	{
		field: 'passport_number',
		from: 'passport_number',
		checkDigits: ['passport_number', 'composite'],
	},
	{ field: 'nationality', from: 'nationality', checkDigits: [] },
	{ field: 'surname', from: 'surname', checkDigits: [] },
	{ field: 'given_name', from: 'given_names', checkDigits: [] },
	{ field: 'sex', from: 'sex', checkDigits: [] },
	{ field: 'date_of_birth', from: 'date_of_birth', checkDigits: ['date_of_birth', 'composite'] },
	{ field: 'date_of_expiry', from: 'date_of_expiry', checkDigits: ['date_of_expiry', 'composite'] },
];

/** The MRZ's value of a field when the MRZ proves it; null otherwise. */
function provenValue(mrz: Td3Result, { from, checkDigits }: MrzSource): string | null {
	const { value, valid } = mrz.fields[from];
	if (!valid || value === null || value === '') return null;
	return checkDigits.every((name) => mrz.check_digits[name].valid) ? value : null;
}

const present = (value: string | null | undefined): value is string =>
	typeof value === 'string' && value.trim() !== '';

function printedRepair(source: MrzSource, printed: string, proven: string): Repair | null {
	if (source.checkDigits.length === 0) return null;
	const read = printed.trim().toUpperCase();
	if (!differsOnlyByConfusables(read, proven)) return null;
	const label = source.field.replace(/_/g, ' ');
	const rule = `The printed ${label} differs from the MRZ's, which its check digits prove, only by reading ${describeSubstitutions(read, proven)}`;
	return { field: source.field, line: null, read: printed.trim(), became: proven, rule };
}

export function resolveFields(
	fields: PrintedFieldValues,
	mrz: Td3Result | undefined,
): ResolvedFields {
	const printed: PrintedFieldValues = { ...fields };
	const values: PrintedFieldValues = { ...fields };
	const filled: PassportField[] = [];
	const repairs: Repair[] = [...(mrz?.repairs ?? [])];
	for (const source of mrz ? MRZ_SOURCES : []) {
		const proven = provenValue(mrz as Td3Result, source);
		if (proven === null) continue;
		const given = fields[source.field];
		if (!present(given)) {
			values[source.field] = proven;
			filled.push(source.field);
			continue;
		}
		const repair = printedRepair(source, given, proven);
		if (repair) {
			printed[source.field] = proven;
			values[source.field] = proven;
			repairs.push(repair);
		}
	}
	return { printed, values, filled_from_mrz: filled, repairs };
}
