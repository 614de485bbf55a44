import { describe, expect, it } from 'vitest';
import { COUNTER_PROBLEMS, problemText } from './counter-problems';

describe('problemText', () => {
	it('names the USB scanner, not the camera, on a counter that has only the scanner', () => {
		expect(problemText('unreadable', 'camera').detail).toContain('对准摄像头');
		expect(problemText('unreadable', 'scanner').detail).toContain('对准扫码枪');
		expect(problemText('unreadable', 'scanner').detail).not.toContain('摄像头');
	});

	it('calls the card a 积分卡 and never a 信用卡 (a bank credit card)', () => {
		for (const problem of COUNTER_PROBLEMS) {
			for (const reader of ['camera', 'scanner'] as const) {
				const { title, detail } = problemText(problem, reader);
				expect(`${title}${detail}`).not.toContain('信用卡');
			}
		}
	});
});
