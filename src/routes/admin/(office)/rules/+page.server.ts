import { fail } from '@sveltejs/kit';
import { getDatabase } from '$lib/server/db/connection';
import { requireAdmin, requireOfficePage } from '$lib/server/office/guard';
import {
	createRule,
	listRules,
	ruleInputFromForm,
	setRuleActive,
	updateRule,
	type RuleOutcome
} from '$lib/server/office/point-rules';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ cookies }) => {
	const account = await requireOfficePage(cookies, 'rules');
	return { rules: await listRules(await getDatabase(), account.community_id) };
};

const ruleIdOf = (form: FormData) => {
	const id = Number(form.get('ruleId'));
	return Number.isInteger(id) && id > 0 ? id : null;
};

/** The form that was sent ('new' or a rule id) comes back with the answer, so it shows there. */
function answer(outcome: RuleOutcome, formId: string, done: string) {
	return outcome.ok ? { formId, saved: done } : fail(400, { formId, message: outcome.message });
}

export const actions: Actions = {
	create: async ({ cookies, request }) => {
		const account = await requireAdmin(cookies);
		const form = await request.formData();
		const parsed = ruleInputFromForm(form);
		if (!parsed.success) return fail(400, { formId: 'new', message: parsed.issues[0].message });
		const outcome = await createRule(await getDatabase(), account, parsed.output);
		return answer(outcome, 'new', `已新增“${parsed.output.name}”`);
	},
	update: async ({ cookies, request }) => {
		const account = await requireAdmin(cookies);
		const form = await request.formData();
		const ruleId = ruleIdOf(form);
		if (ruleId === null) return fail(400, { formId: 'new', message: '找不到这个项目' });
		const parsed = ruleInputFromForm(form);
		if (!parsed.success) {
			return fail(400, { formId: String(ruleId), message: parsed.issues[0].message });
		}
		const outcome = await updateRule(await getDatabase(), account, ruleId, parsed.output);
		return answer(outcome, String(ruleId), `已保存“${parsed.output.name}”`);
	},
	retire: async ({ cookies, request }) => {
		const account = await requireAdmin(cookies);
		const ruleId = ruleIdOf(await request.formData());
		if (ruleId === null) return fail(400, { formId: 'list', message: '找不到这个项目' });
		const outcome = await setRuleActive(await getDatabase(), account, ruleId, false);
		return answer(outcome, 'list', '已停用，以前的记录不受影响');
	},
	reactivate: async ({ cookies, request }) => {
		const account = await requireAdmin(cookies);
		const ruleId = ruleIdOf(await request.formData());
		if (ruleId === null) return fail(400, { formId: 'list', message: '找不到这个项目' });
		const outcome = await setRuleActive(await getDatabase(), account, ruleId, true);
		return answer(outcome, 'list', '已重新启用');
	}
};
