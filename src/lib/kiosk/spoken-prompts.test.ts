import { describe, expect, it } from 'vitest';
import { COUNTER_PROBLEMS } from './counter-problems';
import { spokenPrompt } from './spoken-prompts';

describe('spokenPrompt', () => {
	it('greets a card read with the balance in points', () => {
		expect(spokenPrompt({ kind: 'card_read', balance: 120 })).toEqual({
			text: '您好，您有 120 积分',
			tone: 'good'
		});
	});

	it('says a redemption went through and what is left', () => {
		expect(spokenPrompt({ kind: 'redeemed', newBalance: 90 })).toEqual({
			text: '兑换成功，还剩 90 积分',
			tone: 'good'
		});
	});

	it('says how many points an item still needs', () => {
		expect(
			spokenPrompt({ kind: 'problem', problem: 'not_enough_points', pointsShort: 30 })
		).toEqual({ text: '积分不够，还差 30 分', tone: 'refused' });
		// Refused by the device after the confirm: the shortfall is not known.
		expect(spokenPrompt({ kind: 'problem', problem: 'not_enough_points' })?.text).toBe('积分不够');
	});

	it('refuses a forged, revoked or foreign card with one plain sentence', () => {
		for (const problem of ['forged', 'revoked', 'foreign_community', 'moved_out'] as const) {
			expect(spokenPrompt({ kind: 'problem', problem })).toEqual({
				text: '这张卡不能使用，请找工作人员',
				tone: 'refused'
			});
		}
		expect(spokenPrompt({ kind: 'problem', problem: 'unreadable' })?.text).toBe(
			'没有读到卡，请再扫一次'
		);
	});

	it('asks, over an open cart, whether to switch to the new card', () => {
		expect(spokenPrompt({ kind: 'switch_asked' })).toEqual({
			text: '还有没兑换完的物品，要换人吗',
			tone: 'question'
		});
	});

	it('says numbers as plain digits, without thousands separators', () => {
		expect(spokenPrompt({ kind: 'card_read', balance: 12345 })?.text).toBe('您好，您有 12345 积分');
	});

	it('says nothing over a staff card or while the community loads', () => {
		expect(spokenPrompt({ kind: 'problem', problem: 'staff_card' })).toBeNull();
		expect(spokenPrompt({ kind: 'problem', problem: 'community_loading' })).toBeNull();
	});

	it('keeps every sentence short enough to hear in one breath', () => {
		for (const problem of COUNTER_PROBLEMS) {
			const prompt = spokenPrompt({ kind: 'problem', problem, pointsShort: 999 });
			if (prompt) expect(prompt.text.length).toBeLessThanOrEqual(24);
		}
	});
});
