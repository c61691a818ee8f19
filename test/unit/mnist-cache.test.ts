import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { existsSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { loadBuiltinMnist } from '../../src/data/mnist-builtin.ts'

const cacheDir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), '..', '.cache', 'swarm')

function fingerprint (): string {
  const { pool, test } = loadBuiltinMnist()
  return createHash('sha256').update(pool.features).update(pool.labels).update(test.features).update(test.labels).digest('hex')
}

describe('the built-in digits', () => {
  it('load the same from the package\'s JSON and from the binary cache the first load writes', () => {
    rmSync(cacheDir, { recursive: true, force: true })
    const parsed = fingerprint()
    assert.ok(existsSync(join(cacheDir, 'mnist-builtin-v1.bin')), 'the first load writes the cache')
    assert.equal(fingerprint(), parsed)
  })
})
