import { requireOfficeAccount } from '$lib/server/office/guard';
import { OFFICE_ROLE_NAMES } from '$lib/server/office/accounts';
import { officeMenu } from '$lib/office/office-pages';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ cookies }) => {
	const account = await requireOfficeAccount(cookies);
	return {
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
