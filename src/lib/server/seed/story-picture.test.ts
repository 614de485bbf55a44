import { describe, expect, it } from 'vitest';
import { storyMotif, storyPictureSvg } from './story-picture';

describe('story pictures', () => {
	it('picks a motif that fits the title of each demo story', () => {
		expect(storyMotif('二十年如一日，楼道干干净净')).toBe('stairs');
		expect(storyMotif('垃圾分类，从我家做起')).toBe('sorting');
		expect(storyMotif('邻里守望，照顾独居老人')).toBe('care');
		expect(storyMotif('书香家庭，楼道里的读书角')).toBe('books');
		expect(storyMotif('阳台变花园，楼下添绿意')).toBe('garden');
		expect(storyMotif('反诈宣传进家门')).toBe('shield');
		expect(storyMotif('三代同堂的志愿之家')).toBe('home');
	});

	it('draws an SVG with no text in it, so a title with markup cannot end up inside', () => {
		const svg = storyPictureSvg({ title: '<script>alert(1)</script>楼道' });
		expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 1200 800"/);
		expect(svg).not.toContain('<text');
		expect(svg).not.toContain('script');
	});
});
