import type { IExecuteFunctions } from 'n8n-workflow';

import { succeed, type ItemFailure, type Outcome } from '../contract/itemFailure';
import {
	readItemParameters,
	type ImageSource,
	type ItemParameters,
} from '../description/itemParameters';
import { findItemFiles, type ItemFile } from '../input/itemFiles';
import type { SkippedFileEntry } from '../output/outputItems';

/**
 * One turn of the run: one file of an item (binary input), or the item's URL or Base64 image. Concurrency,
 * order, retries and Continue On Fail apply per turn, across the files of all items.
 */
export type FileTurn = { itemIndex: number; parameters: ItemParameters } & (
	| {
			file: ItemFile;
			/** The item has several files: those that cannot be a passport page are skipped, not refused. */
			screen: boolean;
	  }
	| { file: null; screen: false; source: Exclude<ImageSource, { kind: 'binary' }> }
);

/** A turn, or the failure of an item whose parameters or files are wrong (it fails in its place in order). */
export type PlannedTurn = { itemIndex: number; turn: Outcome<FileTurn> };

/** A file skipped without a call, or that the service found no passport on, and why. */
export type SkippedFile = SkippedFileEntry;

/** Whether the workflow keeps files in the item's JSON (Execution Logic v2); n8n 1.x has no such setting. */
function combinedBinaryMode(ctx: IExecuteFunctions): boolean {
	const settings = typeof ctx.getWorkflowSettings === 'function' ? ctx.getWorkflowSettings() : {};
	return (settings as { binaryMode?: string }).binaryMode === 'combined';
}

/**
 * Every item's turns, in order: its parameters are read and its files found from their metadata, none read.
 * A file is read only when its turn is prepared.
 */
export function planTurns(ctx: IExecuteFunctions): PlannedTurn[] {
	const items = ctx.getInputData();
	const combined = combinedBinaryMode(ctx);
	const turns: PlannedTurn[] = [];
	items.forEach((item, itemIndex) => {
		const parameters = readItemParameters(ctx, itemIndex);
		if (!parameters.ok) {
			turns.push({ itemIndex, turn: parameters });
			return;
		}
		const { source } = parameters.value;
		if (source.kind !== 'binary') {
			const turn: FileTurn = {
				itemIndex,
				parameters: parameters.value,
				file: null,
				screen: false,
				source,
			};
			turns.push({ itemIndex, turn: succeed(turn) });
			return;
		}
		const found = findItemFiles(item, itemIndex, source.wanted, combined);
		if (!found.ok) {
			turns.push({ itemIndex, turn: found });
			return;
		}
		const { files } = found.value;
		for (const file of files) {
			const turn = { itemIndex, parameters: parameters.value, file, screen: files.length > 1 };
			turns.push({ itemIndex, turn: succeed(turn) });
		}
	});
	return turns;
}

const describeSkipped = ({ field, fileName, reason }: SkippedFile) =>
	`${fileName === null ? `"${field}"` : `"${fileName}" (${field})`}: ${reason}`;

/** The failure of an item none of whose files can be a passport page, naming each file and why. */
export function noPassportFile(itemIndex: number, skipped: SkippedFile[]): ItemFailure {
	return {
		kind: 'input',
		code: 'INPUT.NO_PASSPORT_FILE',
		message: `Item ${itemIndex + 1} has no file that can be a passport page: ${skipped.map(describeSkipped).join('; ')}`,
		description:
			'Send a photo or scan of the passport data page (JPEG, PNG, BMP or TIFF, at least 300 px on each side) or a PDF with the scanned page. Put the field that holds it in Input Binary Field to read only that file.',
		scope: 'item',
	};
}

/**
 * Counts each item's skipped files as its turns end, so that the turn that ends last in an item all of whose
 * files were skipped can say so, once, for the whole item.
 */
export class SkippedFiles {
	private readonly turnsOf = new Map<number, number>();

	private readonly skippedOf = new Map<number, Array<{ turnIndex: number; file: SkippedFile }>>();

	constructor(turns: PlannedTurn[]) {
		for (const { itemIndex } of turns) {
			this.turnsOf.set(itemIndex, (this.turnsOf.get(itemIndex) ?? 0) + 1);
		}
	}

	/** Records a skipped file; the item's skipped files, in file order, once every one of its turns was skipped. */
	skip(itemIndex: number, turnIndex: number, file: SkippedFile): SkippedFile[] | undefined {
		const skipped = this.skippedOf.get(itemIndex) ?? [];
		skipped.push({ turnIndex, file });
		this.skippedOf.set(itemIndex, skipped);
		if (skipped.length !== this.turnsOf.get(itemIndex)) return undefined;
		return [...skipped].sort((a, b) => a.turnIndex - b.turnIndex).map((entry) => entry.file);
	}
}
