/** The time the display shows, ticking once a second, by the trusted clock. */
export class DisplayClock {
	#now = $state(0);
	readonly #source: () => number;

	constructor(source: () => number) {
		this.#source = source;
		this.#now = source();
	}

	get now(): number {
		return this.#now;
	}

	start(): () => void {
		let timer: ReturnType<typeof setTimeout> | undefined;
		const tick = () => {
			this.#now = this.#source();
			// On the second, so the minute turns when the wall clock's does.
			timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
		};
		tick();
		return () => clearTimeout(timer);
	}
}
