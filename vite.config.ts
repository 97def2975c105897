import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { chromiumPath, chromiumArgs } from './tests/support/chromium.ts';

export default defineConfig({
	plugins: [
		sveltekit(),
		SvelteKitPWA({
			strategies: 'generateSW',
			registerType: 'prompt',
			injectRegister: false,
			manifest: {
				name: 'Carnet — protection de l’enfance',
				short_name: 'Carnet',
				description: 'Carnet de suivi des mesures de protection de l’enfance, utilisable hors ligne.',
				lang: 'fr',
				start_url: '/app',
				scope: '/',
				display: 'standalone',
				background_color: '#f6f7f9',
				theme_color: '#1f4e79',
				icons: [
					{ src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
					{ src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
					{ src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' }
				]
			},
			workbox: {
				// The app shell only: code, styles, icons and the prerendered /shell page. No API
				// response and no case data is ever cached (case data lives encrypted in IndexedDB).
				globPatterns: ['client/**/*.{js,css,ico,png,svg,webmanifest,wasm}', 'prerendered/**/*.html'],
				navigateFallback: '/shell',
				navigateFallbackDenylist: [/^\/trpc/, /^\/healthz/],
				runtimeCaching: [],
				cleanupOutdatedCaches: true,
				// The first install takes control at once, so the very first session already works offline.
				clientsClaim: true,
				maximumFileSizeToCacheInBytes: 4 * 1024 * 1024
			},
			devOptions: { enabled: false }
		})
	],
	server: { port: 5173 },
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'server',
					environment: 'node',
					include: ['server/**/*.test.ts', 'src/**/*.unit.test.ts', 'tests/server/**/*.test.ts'],
					testTimeout: 60_000,
					hookTimeout: 120_000
				}
			},
			{
				extends: true,
				test: {
					name: 'browser',
					include: ['src/**/*.browser.test.ts', 'tests/browser/**/*.test.ts'],
					testTimeout: 60_000,
					browser: {
						enabled: true,
						headless: true,
						provider: playwright({
							launchOptions: { executablePath: chromiumPath, args: chromiumArgs }
						}),
						instances: [{ browser: 'chromium' }]
					}
				}
			}
		]
	}
});
