import { readFileSync } from 'node:fs'

/** The version of swarm-node, from package.json. */
export function swarmVersion (): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}
