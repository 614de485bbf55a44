import { getDatabase } from '$lib/server/db/connection';
import { requireOfficeAccount } from '$lib/server/office/guard';
import { countOpenReviewFlags } from '$lib/server/office/review-flags';
import { OFFICE_ROLE_NAMES } from '$lib/server/office/accounts';
import { OFFICE_PAGES, officeMenu } from '$lib/office/office-pages';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ cookies }) => {
	const account = await requireOfficeAccount(cookies);
	// One COUNT on an index, for the 待核查 badge of those who may open the page.
	const mayReviewFlags = (OFFICE_PAGES.flags.roles as readonly string[]).includes(account.role);
	const openFlagCount = mayReviewFlags
		? await countOpenReviewFlags(await getDatabase(), account.community_id)
		: 0;
	return {
		openFlagCount,
		account: {
			id: account.id,
			displayName: account.display_name,
			role: account.role,
			roleName: OFFICE_ROLE_NAMES[account.role],
			communityName: account.communityName
		},
		// Every office page shows times on the community's clock, not the server's or the browser's.
		timeZone: account.communityTimeZone,
		menu: officeMenu(account.role).map(({ href, label, description }) => ({
			href,
			label,
			description
		}))
	};
};
