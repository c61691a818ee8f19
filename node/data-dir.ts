/**
 * The peer's data dir, checked before the peer does anything else: it holds
 * the peer's identity, checkpoints and final model, so a peer that cannot
 * write there must say so at once, not after training. The folder is created
 * one level at a time: Node's recursive mkdir loops forever under /proc.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { UserError } from '../src/errors.ts'

const FIX = 'give --data-dir a folder this user can write to (it is created if missing)'
/** the file that holds the pid of the peer using a data dir */
export const LOCK_FILE = 'peer.lock'

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

/**
 * Takes the data dir for this process: `peer.lock` created atomically with
 * its pid, released when the process exits (or `releaseDataDir`). A lock of
 * a pid that no longer runs (a peer that was killed) is taken over; one of a
 * running process is a UserError naming its pid.
 */
export function lockDataDir (dir: string): void {
  const file = join(resolve(dir), LOCK_FILE)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' })
      process.once('exit', () => { releaseDataDir(dir) })
      return
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new UserError(`cannot write ${file} in --data-dir ${dir}: ${describe(err)}; ${FIX}`)
    }
    const holder = lockHolder(file)
    if (holder !== undefined && isRunning(holder)) {
      throw new UserError(`--data-dir ${dir} is in use by a running peer (pid ${holder}): two peers on one data dir would overwrite each other's checkpoint and model. Stop that peer, or give this one another --data-dir`)
    }
    // a stale lock of a peer that died: take it over (if another peer does at the same moment, the next try says so)
    rmSync(file, { force: true })
  }
  throw new UserError(`--data-dir ${dir} was just taken by another peer starting at the same moment (pid ${lockHolder(file) ?? 'unknown'}); give this one another --data-dir`)
}

/** Gives the data dir back, if this process holds it. */
export function releaseDataDir (dir: string): void {
  const file = join(resolve(dir), LOCK_FILE)
  if (lockHolder(file) === process.pid) rmSync(file, { force: true })
}

function lockHolder (file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim())
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

function isRunning (pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it runs, as another user
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
