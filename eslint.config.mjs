// Flat config: TypeScript rules plus Pulumi's own lint rules.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";
import { layerConfig } from "./eslint.layers.mjs";

export default tseslint.config(
  {
    ignores: ["node_modules/**", "dist/**", "policies/node_modules/**", "**/*.gen.ts", ".bench/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.cjs", "components/providers/host.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        require: "readonly",
        module: "readonly",
        __dirname: "readonly",
        process: "readonly",
      },
    },
  },
  {
    files: ["**/*.ts", "**/*.mts"],
    languageOptions: {
      // The Pulumi rules need type information (is this an Output?).
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@pulumi": pulumi },
    rules: {
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",
    },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  // Layers point one way: stacks -> components -> providers (eslint.layers.mjs).
  ...layerConfig,
);
