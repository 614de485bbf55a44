/**
 * Asks the browser not to evict the kiosk's IndexedDB under storage pressure: the outbox may hold
 * redemptions that exist nowhere else. Answers whether storage is persistent; false where the
 * API is missing (older browsers, Node).
 */
export async function requestPersistentStorage(): Promise<boolean> {
	const storage = globalThis.navigator?.storage;
	if (!storage?.persist) return false;
	try {
		if (await storage.persisted?.()) return true;
		return await storage.persist();
	} catch {
		return false;
	}
}
