/**
 * Documents that never belong to a real person: ICAO Doc 9303's examples, printed in the standard and all over
 * the web. A read of one goes to review even when every check digit holds.
 */

import { type CheckOutcome, outcome } from './checkOutcome';

/** Doc 9303's fictional state, Utopia. */
const SPECIMEN_STATE = 'UTO';
/** The document number of Doc 9303 Part 4's TD3 example (ERIKSSON, ANNA MARIA). */
const SPECIMEN_NUMBER = 'L898902C3';

export interface SpecimenEvidence {
	/** Country codes read anywhere: printed issuing country and nationality, the MRZ's two. */
	countryCodes: ReadonlyArray<string | null>;
	passportNumbers: ReadonlyArray<string | null>;
}

export function specimenCheck({ countryCodes, passportNumbers }: SpecimenEvidence): CheckOutcome {
	const reasons: string[] = [];
	if (countryCodes.includes(SPECIMEN_STATE)) {
		reasons.push(`its country is ${SPECIMEN_STATE} (Utopia), ICAO 9303's example state`);
	}
	if (passportNumbers.includes(SPECIMEN_NUMBER)) {
		reasons.push(`its number ${SPECIMEN_NUMBER} is ICAO 9303's example passport`);
	}
	if (reasons.length === 0) return outcome('not_specimen', null);
	return outcome(
		'not_specimen',
		`This is a specimen document, not a real person's passport: ${reasons.join(', and ')}`,
	);
}
