import type { ReviewSettings } from '../description/itemParameters';
import type { PassportCheckReport } from '../passport/passportChecks';

/**
 * Why an item goes to the Needs Review output: every failed passport check, and a lowest field confidence
 * below the threshold. An empty list means the item is clean.
 */
export function reviewReasons(report: PassportCheckReport, settings: ReviewSettings): string[] {
	const reasons = [...report.checks.problems];
	const lowest = report.lowest_confidence;
	if (lowest !== null && lowest < settings.confidenceThreshold) {
		reasons.push(
			`The service's confidence in ${report.lowest_confidence_field ?? 'a field'} is ${lowest}, below the minimum of ${settings.confidenceThreshold}`,
		);
	}
	return reasons;
}
