/**
 * True when a parsed JSON value nests arrays or objects deeper than `maxDepth`. Walks with its own
 * stack: JSON.parse reads any depth, but JSON.stringify and every recursive reader after it
 * overflow the call stack on a few thousand levels, so a hostile event is measured before anything
 * recursive touches it.
 */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
	const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
	while (stack.length > 0) {
		const { value: current, depth } = stack.pop()!;
		if (current === null || typeof current !== 'object') continue;
		if (depth + 1 > maxDepth) return true;
		const children = Array.isArray(current) ? current : Object.values(current);
		for (const child of children) stack.push({ value: child, depth: depth + 1 });
	}
	return false;
}
