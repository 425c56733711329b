/** The result of one named check, as `checkPassport` collects them. */

export type PrintedCheckName =
	| 'passport_number_valid'
	| 'date_of_birth_valid'
	| 'date_of_expiry_valid'
	| 'date_of_issue_valid'
	| 'birth_in_past'
	| 'expiry_after_birth'
	| 'issue_between_birth_and_expiry'
	| 'sex_valid'
	| 'country_code_valid'
	| 'nationality_valid'
	| 'valid_for_min_months'
	| 'not_specimen';

export type MrzCheckName =
	| 'mrz_fields_valid'
	| 'mrz_check_digits_valid'
	| 'passport_number_matches_mrz'
	| 'surname_matches_mrz'
	| 'given_name_matches_mrz'
	| 'date_of_birth_matches_mrz'
	| 'date_of_expiry_matches_mrz'
	| 'sex_matches_mrz'
	| 'nationality_matches_mrz'
	| 'country_code_matches_mrz'
	| 'mrz_matches_printed';

export type CheckName = PrintedCheckName | MrzCheckName;

export interface CheckOutcome {
	check: CheckName;
	passed: boolean;
	problems: string[];
}

export const outcome = (check: CheckName, problem: string | null): CheckOutcome => ({
	check,
	passed: problem === null,
	problems: problem === null ? [] : [problem],
});
