// Bundles src/index.ts and its dependencies into the single ES module the runner executes.
import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import nodeResolve from '@rollup/plugin-node-resolve'
import typescript from '@rollup/plugin-typescript'

export default {
  input: 'src/index.ts',
  output: { esModule: true, file: 'dist/index.js', format: 'es', sourcemap: false },
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
    json()
  ]
}
