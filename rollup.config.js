// Bundles the two entry points, each into one self-contained ES module: src/index.ts into the
// dist/index.js the runner executes, and src/cli.ts into dist/cli.js, the package's executable.
import { chmodSync } from 'node:fs'
import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import nodeResolve from '@rollup/plugin-node-resolve'
import typescript from '@rollup/plugin-typescript'

/** One build: its own plugins, so that the two bundles share no chunk. */
function bundle(input, file, output = {}, extraPlugins = []) {
  return {
    input,
    output: { esModule: true, file, format: 'es', sourcemap: false, ...output },
    onwarn(warning, warn) {
      // @actions/* and octokit use `this` at module scope and circular imports, and gray-matter keeps an
      // eval for its optional JavaScript frontmatter engine, which codex-sync never enables: all harmless.
      if (['THIS_IS_UNDEFINED', 'CIRCULAR_DEPENDENCY', 'EVAL'].includes(warning.code)) return
      warn(warning)
    },
    plugins: [
      typescript({ tsconfig: './tsconfig.build.json' }),
      nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
      commonjs(),
      json(),
      ...extraPlugins
    ]
  }
}

/** dist/cli.js runs as a program: `./dist/cli.js`, and the `codex-sync` bin npm links to it. */
const executable = {
  name: 'executable',
  writeBundle(options) {
    chmodSync(options.file, 0o755)
  }
}

export default [
  bundle('src/index.ts', 'dist/index.js'),
  bundle('src/cli.ts', 'dist/cli.js', { banner: '#!/usr/bin/env node' }, [executable])
]
