import { requireOfficeAccount } from '$lib/server/office/guard';
import { OFFICE_ROLE_NAMES } from '$lib/server/office/accounts';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ cookies }) => {
	const account = await requireOfficeAccount(cookies);
	return {
		account: {
			displayName: account.display_name,
			role: account.role,
			roleName: OFFICE_ROLE_NAMES[account.role],
			communityName: account.communityName
		}
	};
};
