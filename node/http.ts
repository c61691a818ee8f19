/**
 * --http: the live page and /metrics. The page (node/page/) reads the swarm
 * as this peer sees it from /state and keeps it current through server-sent
 * events on /events; /metrics is Prometheus' text format. Loopback by
 * default; on another address every request must carry the --http-token
 * (checked in constant time), as ?token=… or Authorization: Bearer ….
 */
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { readFileSync } from 'node:fs'
import { timingSafeEqual } from 'node:crypto'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Registry } from 'prom-client'
import type { SwarmSnapshot, SwarmView } from '../src/events/view.ts'
import { ConfigError, UserError } from '../src/errors.ts'

/** page updates are sent at most this often; training progress changes many times a second */
const PUSH_EVERY_MS = 250
/** a comment on idle event streams, so proxies keep them open */
const HEARTBEAT_MS = 15_000
const PAGE_DIR = join(import.meta.dirname, 'page')
const LIBP2P_BYTES = 'libp2p_data_transfer_bytes_total'

/** The files the page is made of, by path: read once at start. */
function pageFiles (): Map<string, { type: string, body: Buffer }> {
  const uplot = join(createRequire(import.meta.url).resolve('uplot'), '..')
  return new Map([
    ['/', { type: 'text/html; charset=utf-8', body: readFileSync(join(PAGE_DIR, 'index.html')) }],
    ['/page.js', { type: 'text/javascript; charset=utf-8', body: readFileSync(join(PAGE_DIR, 'page.js')) }],
    ['/page.css', { type: 'text/css; charset=utf-8', body: readFileSync(join(PAGE_DIR, 'page.css')) }],
    ['/uplot.js', { type: 'text/javascript; charset=utf-8', body: readFileSync(join(uplot, 'uPlot.iife.min.js')) }],
    ['/uplot.css', { type: 'text/css; charset=utf-8', body: readFileSync(join(uplot, 'uPlot.min.css')) }]
  ])
}

/** Bytes on the wire, from libp2p's counters: in total and by protocol. */
export interface Traffic { sent: number, received: number, byProtocol: Record<string, { sent: number, received: number }> }

export type PageState = SwarmSnapshot & { traffic: Traffic }

/** A loopback address: the page may be served there without a token. */
export function isLoopback (host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

/** The token in an --http-token file; a missing or empty file is a ConfigError. */
function readHttpToken (file: string): string {
  let token: string
  try {
    token = readFileSync(file, 'utf8').trim()
  } catch (err) {
    throw new ConfigError(`cannot read --http-token ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; give a file holding the page's secret token (for example: openssl rand -hex 32 > ${file})`)
  }
  if (token.length < 16 || /\s/.test(token)) throw new ConfigError(`--http-token ${file} must hold one token of at least 16 characters without spaces (for example: openssl rand -hex 32 > ${file})`)
  return token
}

/** The token of --http, if any; an address other than loopback without one is a ConfigError. */
export function httpToken (http: { host: string, port: number } | undefined, tokenFile: string | undefined): string | undefined {
  const token = tokenFile === undefined ? undefined : readHttpToken(tokenFile)
  if (http !== undefined && !isLoopback(http.host) && token === undefined) {
    throw new ConfigError(`--http ${http.host}:${http.port} is not a loopback address: anyone who reaches it could watch the swarm. Give --http-token <file> too, or serve on 127.0.0.1`)
  }
  return token
}

export interface PageServerOptions {
  host: string
  port: number
  token: string | undefined
  view: SwarmView
  registry: Registry
}

export class PageServer {
  readonly url: string
  private readonly server: Server
  private readonly streams = new Set<ServerResponse>()
  private readonly options: PageServerOptions
  private readonly unsubscribe: () => void
  private readonly heartbeat: NodeJS.Timeout
  private pushTimer: NodeJS.Timeout | undefined
  private lastPush = 0

  static async start (options: PageServerOptions): Promise<PageServer> {
    const server = createServer()
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        const why = err.code === 'EADDRINUSE' ? 'the port is in use; choose another port (0 picks a free one)' : err.code === 'EADDRNOTAVAIL' ? 'no interface of this machine has that address' : err.code === 'EACCES' ? 'no permission to use that port; use one above 1023' : err.message
        reject(new UserError(`cannot serve --http on ${options.host}:${options.port}: ${why}`))
      })
      server.listen(options.port, options.host, () => { resolve() })
    })
    return new PageServer(server, options)
  }

  private constructor (server: Server, options: PageServerOptions) {
    this.server = server
    this.options = options
    const address = server.address()
    const port = typeof address === 'object' && address !== null ? address.port : options.port
    this.url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}/`
    const files = pageFiles()
    server.on('request', (request, response) => { void this.handle(request, response, files) })
    this.unsubscribe = options.view.onChange(() => { this.schedulePush() })
    this.heartbeat = setInterval(() => { for (const stream of this.streams) stream.write(': idle\n\n') }, HEARTBEAT_MS)
    this.heartbeat.unref()
  }

  async stop (): Promise<void> {
    this.unsubscribe()
    clearInterval(this.heartbeat)
    clearTimeout(this.pushTimer)
    for (const stream of this.streams) stream.end()
    this.server.closeAllConnections()
    await new Promise(resolve => { this.server.close(resolve) })
  }

  private async handle (request: IncomingMessage, response: ServerResponse, files: Map<string, { type: string, body: Buffer }>): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://page')
    response.setHeader('X-Content-Type-Options', 'nosniff')
    response.setHeader('Content-Security-Policy', "default-src 'self'; style-src 'self' 'unsafe-inline'")
    response.setHeader('Referrer-Policy', 'no-referrer')
    if (request.method !== 'GET' && request.method !== 'HEAD') return this.send(response, 405, 'text/plain', 'only GET\n')
    if (!this.authorized(request, url)) return this.send(response, 401, 'text/plain', 'this page needs its token: add ?token=<the --http-token> to the address, or send Authorization: Bearer <token>\n')
    try {
      if (url.pathname === '/metrics') return this.send(response, 200, this.options.registry.contentType, await this.options.registry.metrics())
      if (url.pathname === '/state') return this.send(response, 200, 'application/json', JSON.stringify(await this.state()))
      if (url.pathname === '/events') return await this.openStream(response)
      const file = files.get(url.pathname)
      if (file === undefined) return this.send(response, 404, 'text/plain', 'not found\n')
      this.send(response, 200, file.type, file.body)
    } catch (err) {
      this.send(response, 500, 'text/plain', `${(err as Error).message}\n`)
    }
  }

  private authorized (request: IncomingMessage, url: URL): boolean {
    const { token } = this.options
    if (token === undefined) return true
    const header = request.headers.authorization
    const given = header?.startsWith('Bearer ') === true ? header.slice(7) : url.searchParams.get('token') ?? ''
    const [a, b] = [Buffer.from(given), Buffer.from(token)]
    return a.length === b.length && timingSafeEqual(a, b)
  }

  private send (response: ServerResponse, status: number, type: string, body: string | Buffer): void {
    response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' })
    response.end(body)
  }

  private async openStream (response: ServerResponse): Promise<void> {
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' })
    this.streams.add(response)
    response.on('close', () => { this.streams.delete(response) })
    response.write(`data: ${JSON.stringify(await this.state())}\n\n`)
  }

  /** Every open page gets the new state, at most every PUSH_EVERY_MS. */
  private schedulePush (): void {
    if (this.pushTimer !== undefined || this.streams.size === 0) return
    const wait = Math.max(0, this.lastPush + PUSH_EVERY_MS - Date.now())
    this.pushTimer = setTimeout(() => {
      this.pushTimer = undefined
      this.lastPush = Date.now()
      void this.state().then(state => {
        const message = `data: ${JSON.stringify(state)}\n\n`
        for (const stream of this.streams) stream.write(message)
      })
    }, wait)
  }

  private async state (): Promise<PageState> {
    return { ...this.options.view.snapshot(), traffic: await this.traffic() }
  }

  private async traffic (): Promise<Traffic> {
    const traffic: Traffic = { sent: 0, received: 0, byProtocol: {} }
    const metric = this.options.registry.getSingleMetric(LIBP2P_BYTES)
    if (metric === undefined) return traffic
    for (const { labels, value } of (await metric.get()).values) {
      const match = /^(.*)[ _](sent|received)$/.exec(String(labels.protocol ?? ''))
      if (match === null) continue
      const [, protocol, direction] = match as unknown as [string, string, 'sent' | 'received']
      const entry = traffic.byProtocol[protocol] ?? { sent: 0, received: 0 }
      entry[direction] += value
      traffic.byProtocol[protocol] = entry
      if (protocol === 'global') traffic[direction] += value
    }
    return traffic
  }
}
