/**
 * The peer's data dir, checked before the peer does anything else: it holds
 * the peer's identity, checkpoints and final model, so a peer that cannot
 * write there must say so at once, not after training. The folder is created
 * one level at a time: Node's recursive mkdir loops forever under /proc.
 */
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { UserError } from '../src/errors.ts'

const FIX = 'give --data-dir a folder this user can write to (it is created if missing)'

/** Creates the data dir if needed and checks that files can be written in it; throws a UserError naming the cause. */
export function prepareDataDir (dir: string): void {
  const target = resolve(dir)
  const missing: string[] = []
  let existing = target
  while (!existsSync(existing) && dirname(existing) !== existing) {
    missing.unshift(existing)
    existing = dirname(existing)
  }
  if (!statSync(existing).isDirectory()) {
    throw new UserError(existing === target
      ? `--data-dir ${dir} is a file, not a folder: ${FIX}`
      : `cannot create --data-dir ${dir}: ${existing} is a file, not a folder; ${FIX}`)
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder)
    } catch (err) {
      throw new UserError(`cannot create --data-dir ${dir}: ${describe(err)} at ${folder}; ${FIX}`)
    }
  }
  const probe = join(target, `.write-test-${process.pid}`)
  try {
    writeFileSync(probe, '')
    rmSync(probe)
  } catch (err) {
    throw new UserError(`cannot write in --data-dir ${dir}: ${describe(err)}; ${FIX}`)
  }
}

function describe (err: unknown): string {
  const { code } = err as NodeJS.ErrnoException
  switch (code) {
    case 'EACCES': case 'EPERM': return 'permission denied'
    case 'EROFS': return 'the file system is read-only'
    case 'ENOENT': return 'the file system does not allow creating it'
    case 'ENOSPC': return 'the disk is full'
    case 'ENOTDIR': return 'a part of the path is not a folder'
    default: return code ?? (err as Error).message
  }
}
