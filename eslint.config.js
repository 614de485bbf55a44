import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

const RESOLVED = ['.ts', '.svelte.ts', '.js', '.svelte'];

export default ts.config(
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			'no-undef': 'off',
			// Plain paths are fine: the app is served at the root and has no base path.
			'svelte/no-navigation-without-resolve': 'off'
		}
	},
	{
		files: ['**/*.ts', '**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
			]
		}
	},
	{
		files: ['src/lib/domain/**', 'src/lib/protocol/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						'svelte',
						'svelte/*',
						'$app/*',
						'dexie',
						'$lib/server/*',
						'$lib/terminal/*',
						'$lib/kiosk/*',
						'$lib/display/*',
						'$lib/scanner/*',
						'kysely',
						'better-sqlite3'
					]
				}
			]
		}
	},
	{
		// Import cycles make load order matter and hide layering mistakes (GitButler does the same).
		files: ['src/**/*.ts', 'src/**/*.svelte', 'src/**/*.js'],
		plugins: { 'import-x': importX },
		settings: {
			'import-x/resolver-next': [createTypeScriptImportResolver({ extensions: RESOLVED })],
			'import-x/extensions': RESOLVED,
			'import-x/parsers': {
				'@typescript-eslint/parser': ['.ts', '.js'],
				'svelte-eslint-parser': ['.svelte']
			}
		},
		rules: {
			'import-x/no-cycle': ['error', { ignoreExternal: true }],
			'import-x/no-restricted-paths': [
				'error',
				{
					zones: [
						{
							// The lobby display shares only the terminal plumbing with the kiosk.
							target: [
								'src/lib/display/**',
								'src/lib/components/display/**',
								'src/routes/display/**'
							],
							from: [
								'src/lib/kiosk/**',
								'src/lib/components/kiosk/**',
								'src/lib/components/shop/**'
							],
							message:
								'The display does not import kiosk code; shared code goes in src/lib/terminal.'
						},
						{
							target: 'src/lib/terminal/**',
							from: [
								'src/lib/kiosk/**',
								'src/lib/display/**',
								'src/lib/components/**',
								'src/routes/**'
							],
							message:
								'src/lib/terminal is shared by the kiosk and the display and imports neither.'
						},
						{
							// A `.svelte.ts` rune module is fine; a component is not (put its types in a .ts).
							target: 'src/lib/**/*.ts',
							from: 'src/**/*.svelte',
							message: 'A TypeScript module in src/lib imports no .svelte component.'
						}
					]
				}
			]
		}
	},
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'node_modules/',
			'static/',
			'test-results/',
			'playwright-report/',
			'tests/.tmp/',
			'bench/.tmp/',
			'bench/results/'
		]
	}
);
