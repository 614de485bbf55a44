/*
 * The state of the "录入积分" form while it is filled in: who is on the list (ticked in the search
 * results or added by a scanned card), and which step the form is at. The page creates one; the
 * search list, the scanner and the confirmation read and change it.
 */

export interface ChosenResident {
	id: number;
	/** The full name when ticked in the list; the masked one when added by a card. */
	name: string;
	household: string;
}

export type EntryStep = 'form' | 'confirm';

export class PointsEntry {
	#chosen = $state<ChosenResident[]>([]);
	step = $state<EntryStep>('form');

	get chosen(): readonly ChosenResident[] {
		return this.#chosen;
	}

	get count(): number {
		return this.#chosen.length;
	}

	has(id: number): boolean {
		return this.#chosen.some((resident) => resident.id === id);
	}

	/** Adds a resident; false when they are already on the list. */
	add(resident: ChosenResident): boolean {
		if (this.has(resident.id)) return false;
		this.#chosen.push(resident);
		return true;
	}

	set(resident: ChosenResident, on: boolean): void {
		if (on) this.add(resident);
		else this.remove(resident.id);
	}

	remove(id: number): void {
		this.#chosen = this.#chosen.filter((resident) => resident.id !== id);
	}

	/** Starts the next batch. */
	clear(): void {
		this.#chosen = [];
		this.step = 'form';
	}
}
