/**
 * Masks a person's name for anything shown outside the office (kiosk, lobby screen):
 * the first and last character stay, everything between becomes one '*'.
 *
 *   '张三凤' → '张*凤'   '李四' → '李*'   '王' → '王'   '欧阳娜娜' → '欧*娜'
 *
 * Compound surnames (欧阳, 司马…) are not recognised on purpose: keeping only the first
 * character reveals less, and one star hides how long the given name is.
 */
export function maskName(name: string): string {
	const characters = Array.from(name.trim());
	if (characters.length <= 1) return characters.join('');
	if (characters.length === 2) return `${characters[0]}*`;
	return `${characters[0]}*${characters[characters.length - 1]}`;
}

/**
 * Masks a household for a public screen by its family's surname: '李*家'. The surname comes from
 * a member's name (the office's order of members decides whose); without one it is '某*家'.
 */
export function maskHouseholdName(memberName: string | null | undefined): string {
	const surname = Array.from(memberName?.trim() ?? '')[0] ?? '某';
	return `${surname}*家`;
}
