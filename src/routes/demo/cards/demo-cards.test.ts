import type { ServerLoadEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { getDatabase } from '$lib/server/db/connection';
import { createCommunity } from '$lib/server/office/communities';
import { useTemporaryDataDir } from '$lib/server/testing/api-calls';
import { load } from './+page.server';

useTemporaryDataDir('credit-shop-demo-cards-');

describe('/demo/cards', () => {
	it('shows no sheet for a real community that happens to use the demo community code', async () => {
		await createCommunity(await getDatabase(), { slug: 'xingfuli', name: '幸福里社区' });
		const event = { setHeaders: () => undefined } as unknown as ServerLoadEvent;
		await expect(Promise.resolve(load(event as never))).rejects.toMatchObject({ status: 404 });
	});
});
