import type { DemoCard } from '../fixtures/test-cards';

export interface StaffCard {
	credential: string;
	pin: string;
	role: string;
}

/** Staff cards printed on the demo sheet, with their PIN (`data-role`, `data-pin`). */
export function staffCards(cards: DemoCard[]): StaffCard[] {
	return cards
		.filter((card) => card.credential.startsWith('CS1.S.') && card.attributes.pin)
		.filter((card) => (card.status ?? 'active') === 'active')
		.map((card) => ({
			credential: card.credential,
			pin: card.attributes.pin ?? '',
			role: card.attributes.role ?? ''
		}));
}

export function staffCard(cards: DemoCard[], role: 'shopkeeper' | 'manager'): StaffCard {
	const card = staffCards(cards).find((candidate) => candidate.role === role);
	if (!card) throw new Error(`the demo sheet has no ${role} card with a PIN`);
	return card;
}

/** A PIN that is surely not this card's: each digit shifted by one. */
export function wrongPin(pin: string): string {
	return [...pin].map((digit) => String((Number(digit) + 1) % 10)).join('');
}
