/**
 * The kinds of value a setting can hold: how a flag's text becomes a value,
 * and how a value (from a flag or a config file) is checked. A check either
 * returns the value, typed, or calls `fail` with what is wrong and what is
 * expected.
 */
import { multiaddr } from '@multiformats/multiaddr'
import { PEER_NAME } from '../wire/messages.ts'

export type Fail = (problem: string) => never

export interface Kind<T> {
  /** the value of a flag's text (flags are text; a config file has JSON values) */
  fromFlag: (text: string) => unknown
  check: (value: unknown, fail: Fail) => T
}

const asIs = (text: string): unknown => text
/** a flag's number; text that is none stays text, so the message quotes what was typed */
const asNumber = (text: string): unknown => (text.trim() === '' || Number.isNaN(Number(text)) ? text : Number(text))

export function integer (min: number): Kind<number> {
  return {
    fromFlag: asNumber,
    check: (v, fail) => {
      if (!Number.isSafeInteger(v) || (v as number) < min) fail(`must be a whole number >= ${min}, got ${JSON.stringify(v)}`)
      return v as number
    }
  }
}

export const positive: Kind<number> = {
  fromFlag: asNumber,
  check: (v, fail) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(`must be a number > 0, got ${JSON.stringify(v)}`)
    return v as number
  }
}

export const nonNegative: Kind<number> = {
  fromFlag: asNumber,
  check: (v, fail) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(`must be a number >= 0, got ${JSON.stringify(v)}`)
    return v as number
  }
}

/** A number in [min, max) that may be left unset. */
export function optionalFraction (min: number, max: number): Kind<number | undefined> {
  return {
    fromFlag: asNumber,
    check: (v, fail) => (v === undefined || v === null ? undefined : fraction(min, max).check(v, fail))
  }
}

/** A number > 0 that may be left unset. */
export const optionalPositive: Kind<number | undefined> = {
  fromFlag: asNumber,
  check: (v, fail) => (v === undefined || v === null ? undefined : positive.check(v, fail))
}

export const text: Kind<string> = {
  fromFlag: asIs,
  check: (v, fail) => {
    if (typeof v !== 'string' || v === '') fail(`must be a non-empty string, got ${JSON.stringify(v)}`)
    return v as string
  }
}

export const yesNo: Kind<boolean> = {
  fromFlag: asIs,
  check: (v, fail) => {
    if (typeof v !== 'boolean') fail(`must be true or false, got ${JSON.stringify(v)}`)
    return v as boolean
  }
}

/** A path that may be left unset; `what` says what the path should lead to. */
export function optionalPath (what: string): Kind<string | undefined> {
  return {
    fromFlag: asIs,
    check: (v, fail) => {
      if (v === undefined || v === null) return undefined
      if (typeof v !== 'string' || v === '') fail(`must be the path of ${what}`)
      return v as string
    }
  }
}

export function choice<T extends string> (choices: readonly T[], unknown?: (value: string) => string): Kind<T> {
  return {
    fromFlag: asIs,
    check: (v, fail) => {
      if (!choices.includes(v as T)) {
        fail(unknown !== undefined && typeof v === 'string' ? unknown(v) : `must be ${choices.map(c => `"${c}"`).join(' or ')}, got ${JSON.stringify(v)}`)
      }
      return v as T
    }
  }
}

export const multiaddrs: Kind<string[]> = {
  fromFlag: asIs,
  check: (v, fail) => {
    if (!Array.isArray(v)) fail('must be a list of multiaddrs')
    for (const a of v as unknown[]) {
      try {
        if (typeof a !== 'string') throw new Error('not a string')
        multiaddr(a)
      } catch {
        fail(`${JSON.stringify(a)} is not a valid multiaddr; expected something like /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…`)
      }
    }
    return v as string[]
  }
}

/** A list of positive whole numbers, written `200,200` as a flag. */
export function widths (example: string): Kind<number[]> {
  return {
    fromFlag: t => (t.trim() === '' ? [] : t.split(',').map(w => Number(w.trim()))),
    check: (v, fail) => {
      if (!Array.isArray(v) || !v.every(h => Number.isSafeInteger(h) && h > 0)) fail(`must be a list of positive layer widths such as ${example}, got ${JSON.stringify(v)}`)
      return v as number[]
    }
  }
}

export interface Share { index: number, count: number }

/** This peer's share `i/n` of a data set, written `i/n` (or `{ index, count }` in a file). */
export const share: Kind<Share> = {
  fromFlag: asIs,
  check: (value, fail) => {
    if (typeof value === 'object' && value !== null && 'index' in value && 'count' in value) {
      value = `${String(value.index)}/${String(value.count)}`
    }
    const match = typeof value === 'string' ? /^(\d+)\/(\d+)$/.exec(value.trim()) : null
    if (match === null) return fail(`must look like i/n (this peer's share i of n, 1 <= i <= n), got ${JSON.stringify(value)}`)
    const index = Number(match[1])
    const count = Number(match[2])
    if (count < 1 || index < 1 || index > count) fail(`share ${index} of ${count} does not exist: i/n needs 1 <= i <= n`)
    return { index, count }
  }
}

/** A list of strings, each checked by `each` (which returns it normalised). */
export function listOf (what: string, each: (entry: string, fail: Fail) => string): Kind<string[]> {
  return {
    fromFlag: asIs,
    check: (v, fail) => {
      if (!Array.isArray(v) || !v.every(a => typeof a === 'string')) fail(`must be a list of ${what}`)
      return (v as string[]).map(entry => each(entry, fail))
    }
  }
}

/** A text that may be left unset. */
export const optionalText: Kind<string | undefined> = {
  fromFlag: asIs,
  check: (v, fail) => {
    if (v === undefined || v === null) return undefined
    if (typeof v !== 'string' || v === '') fail(`must be a non-empty string, got ${JSON.stringify(v)}`)
    return v as string
  }
}

/** A number in [min, max). */
export function fraction (min: number, max: number): Kind<number> {
  return {
    fromFlag: asNumber,
    check: (v, fail) => {
      if (typeof v !== 'number' || !(v >= min && v < max)) fail(`must be a number from ${min} up to (not including) ${max}, got ${JSON.stringify(v)}`)
      return v as number
    }
  }
}

/** One of a few whole numbers. */
export function oneOf (choices: readonly number[]): Kind<number> {
  return {
    fromFlag: asNumber,
    check: (v, fail) => {
      if (!choices.includes(v as number)) fail(`must be ${choices.join(' or ')}, got ${JSON.stringify(v)}`)
      return v as number
    }
  }
}

export interface Size { width: number, height: number }

/** An image size written `WxH` (or `{ width, height }` in a file); may be left unset. */
export const optionalSize: Kind<Size | undefined> = {
  fromFlag: asIs,
  check: (value, fail) => {
    if (value === undefined || value === null) return undefined
    if (typeof value === 'object' && 'width' in value && 'height' in value) value = `${String(value.width)}x${String(value.height)}`
    const match = typeof value === 'string' ? /^(\d+)x(\d+)$/i.exec(value.trim()) : null
    const [width, height] = match === null ? [0, 0] : [Number(match[1]), Number(match[2])]
    if (!(width >= 1 && height >= 1 && width <= 4096 && height <= 4096)) fail(`must look like WxH in pixels, such as 28x28 (each side 1 to 4096), got ${JSON.stringify(value)}`)
    return { width, height }
  }
}

/** A peer's readable name: 1 to 40 letters, digits, and . _ - (it travels in hellos and shows on pages). */
export const optionalName: Kind<string | undefined> = {
  fromFlag: asIs,
  check: (v, fail) => {
    if (v === undefined || v === null) return undefined
    if (typeof v !== 'string' || !PEER_NAME.test(v)) fail(`must be 1 to 40 letters, digits, dots, dashes or underscores, such as "site-a", got ${JSON.stringify(v)}`)
    return v as string
  }
}

/** host:port for a local server, such as 127.0.0.1:9464 or [::1]:9464 (port 0: a free port). */
export const optionalHostPort: Kind<{ host: string, port: number } | undefined> = {
  fromFlag: asIs,
  check: (v, fail) => {
    if (v === undefined || v === null) return undefined
    if (typeof v === 'object' && typeof (v as { host?: unknown }).host === 'string' && Number.isSafeInteger((v as { port?: unknown }).port)) return v as { host: string, port: number }
    const match = typeof v === 'string' ? /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(v) : null
    const port = Number(match?.[3])
    if (match === null || port > 65535) return fail(`must be host:port, such as 127.0.0.1:9464 or [::1]:9464, got ${JSON.stringify(v)}`)
    return { host: match[1] ?? match[2], port }
  }
}
