/**
 * The answer of an office function the demo seed called, when it succeeded. The seed's plan is
 * fixed, so a refusal is a bug: it throws, and the seed's one transaction leaves nothing behind.
 */
export function expectOk<T extends { ok: boolean }>(
	outcome: T,
	what: string
): Extract<T, { ok: true }> {
	if (!outcome.ok) {
		const message = 'message' in outcome ? String(outcome.message) : '';
		throw new Error(`The demo seed could not ${what}: ${message}`);
	}
	return outcome as Extract<T, { ok: true }>;
}
