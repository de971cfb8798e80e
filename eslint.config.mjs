// Lints the product and its specs with the roblox-ts rules (code that compiles but misbehaves in Luau).
import robloxTs from "eslint-plugin-roblox-ts";

export default [
	{
		...robloxTs.configs.recommended,
		files: ["src/**/*.ts", "test/**/*.ts"],
		languageOptions: {
			...robloxTs.configs.recommended.languageOptions,
			parserOptions: { project: "./tsconfig.json", sourceType: "module" },
		},
	},
];
