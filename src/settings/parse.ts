/**
 * The peer's settings from the table: defaults, overridden by a JSON config
 * file, overridden by command line flags. Every value is checked; a bad one
 * gives a ConfigError naming the setting, what is wrong and how to fix it.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import type { ParseArgsOptionDescriptor } from 'node:util'
import { ConfigError } from '../errors.ts'
import { SETTINGS } from './table.ts'
import type { PeerConfig } from './table.ts'

export type { PeerConfig } from './table.ts'

/** Every setting's default. */
export const DEFAULTS = Object.fromEntries(SETTINGS.map(s => [s.key, s.default])) as PeerConfig

/** Parses `swarm-node start` arguments into a checked config. */
export function parseStartArgs (args: string[]): PeerConfig {
  const options: Record<string, ParseArgsOptionDescriptor> = { config: { type: 'string' } }
  for (const s of SETTINGS) options[s.flag] = { type: s.arg === undefined ? 'boolean' : 'string', multiple: s.repeatable === true }
  const joined = joinValues(args, options)
  let values: Record<string, string | string[] | boolean | undefined>
  try {
    values = parseArgs({ args: joined, options, strict: true, allowPositionals: false }).values as typeof values
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}. Run swarm-node start --help for the list of flags`)
  }
  const file = values.config
  const raw: Record<string, unknown> = typeof file === 'string' ? readConfigFile(file) : {}
  for (const s of SETTINGS) {
    const value = values[s.flag]
    if (value !== undefined) raw[s.key] = typeof value === 'string' ? s.kind.fromFlag(value) : value
  }
  return checkConfig(raw, typeof file === 'string' ? `(from flags or ${file})` : '(from flags)')
}

/**
 * The arguments with each value that starts with '-' joined to its flag
 * (`--learning-rate -0.1` as `--learning-rate=-0.1`), so a negative number
 * gets its setting's own message; a flag that takes a value followed by
 * another flag, or by nothing, is an error that names it.
 */
function joinValues (args: string[], options: Record<string, ParseArgsOptionDescriptor>): string[] {
  const joined: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    const flag = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined
    if (flag === undefined || options[flag]?.type !== 'string') {
      joined.push(arg)
      continue
    }
    const value = args[i + 1]
    if (value === undefined || value.startsWith('--')) {
      const what = flag === 'config' ? '<file>' : SETTINGS.find(s => s.flag === flag)?.arg
      throw new ConfigError(`flag --${flag} needs a value${what === undefined ? '' : ` (${what})`}${value === undefined ? '' : `, but ${value} follows it`}. Run swarm-node start --help for the list of flags`)
    }
    joined.push(value.startsWith('-') ? `${arg}=${value}` : arg, ...(value.startsWith('-') ? [] : [value]))
    i++
  }
  return joined
}

/** Reads a JSON config file; unknown keys and bad JSON are errors. */
export function readConfigFile (file: string): Record<string, unknown> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw new ConfigError(`config file ${file} cannot be read: check the path given to --config`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(err as Error).message}`)
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ConfigError(`config file ${file} must hold a JSON object of settings`)
  const known = SETTINGS.map(s => s.key as string)
  for (const key of Object.keys(json)) {
    if (!known.includes(key)) throw new ConfigError(`config file ${file} has an unknown setting "${key}"; known settings: ${known.join(', ')}`)
  }
  return json as Record<string, unknown>
}

/** Checks settings (from a file and flags) over the defaults; `where` says where they came from. */
export function checkConfig (raw: Record<string, unknown>, where = ''): PeerConfig {
  const config: Record<string, unknown> = {}
  for (const s of SETTINGS) {
    const fail = (problem: string): never => {
      throw new ConfigError(`setting ${s.key} ${where}: ${problem}`.replace('  ', ' '))
    }
    config[s.key] = s.kind.check(s.key in raw ? raw[s.key] : s.default, fail)
  }
  return config as PeerConfig
}

/** The flags of `swarm-node start` for --help, from the table, wrapped to 80 columns. */
export function settingsHelp (): string {
  const lines = ['  --config <file>         JSON settings file (see config/default.json); flags override it']
  for (const s of SETTINGS) {
    const name = `  --${s.flag}${s.arg === undefined ? '' : ` ${s.arg}`}`
    const shown = defaultText(s)
    const words = `${s.help}${shown === undefined ? '' : ` (default: ${shown})`}`.split(' ')
    let line = name.length < 26 ? name.padEnd(26) : `${name}\n${' '.repeat(26)}`
    let width = line.length - line.lastIndexOf('\n') - 1
    for (const word of words) {
      if (width + word.length > 80 && width > 26) {
        line += `\n${' '.repeat(26)}`
        width = 26
      }
      line += `${width > 26 ? ' ' : ''}${word}`
      width += word.length + (width > 26 ? 1 : 0)
    }
    lines.push(line)
  }
  return lines.join('\n')
}

/** A setting's default as --help and docs/CONFIG.md say it; undefined for a switch or an empty list. */
export function defaultText (s: typeof SETTINGS[number]): string | undefined {
  if (s.defaultText !== undefined) return s.defaultText
  const value: unknown = s.default
  if (typeof value === 'boolean' || (Array.isArray(value) && value.length === 0)) return undefined
  return Array.isArray(value) ? value.join(',') : String(value)
}
