/**
 * Reading a PDF is CPU work on n8n's one event loop: webhooks, the editor and other workflows wait while it
 * runs. Long work calls `breathe` between chunks; after about `SLICE_MS` of work it gives the loop a turn.
 */
import { sleep } from 'n8n-workflow';

/** Longest stretch of work between turns for the rest of n8n; well under the ~100 ms a person notices. */
export const SLICE_MS = 15;

export class Pause {
	private last = Date.now();

	/** Gives the event loop a turn when the current slice of work has run long enough. */
	async breathe(): Promise<void> {
		if (Date.now() - this.last < SLICE_MS) return;
		await sleep(0);
		this.last = Date.now();
	}
}
