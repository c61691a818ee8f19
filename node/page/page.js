// The live page of a swarm peer (node/http.ts serves it). It listens to
// /events (server-sent events, each the whole state as /state returns it)
// and redraws; nothing here needs a build step or a framework.
'use strict'

const token = new URLSearchParams(location.search).get('token')
const withToken = path => (token === null ? path : `${path}?token=${encodeURIComponent(token)}`)
const $ = id => document.getElementById(id)

const PHASES = {
  starting: 'starting',
  'waiting-for-peers': 'waiting for enough peers to start a round',
  training: 'training on this site\'s data',
  'waiting-for-updates': 'waiting for the other sites\' updates',
  merging: 'merging the round\'s updates',
  done: 'done: the final model is saved'
}

const SECURE_STAGES = {
  'secure-shares-sent': 'keys and shares sent',
  masking: 'masking this site\'s update',
  'unmask-requested': 'unmasking the sum',
  unmasked: 'sum unmasked',
  'secure-aggregation-waiting': 'waiting for enough surviving updates'
}

let state
const charts = {}

function short (peer) {
  return peer.length > 8 ? `…${peer.slice(-6)}` : peer
}

function label (peer) {
  const member = state.members.find(m => m.peerId === peer)
  return member?.name !== undefined ? `${member.name} (${short(peer)})` : short(peer)
}

function bytes (n) {
  if (n < 1024) return `${n} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let value = n / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++ }
  return `${value.toFixed(1)} ${units[unit]}`
}

function seconds (ms) {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`
}

/** Replaces a table body's rows; every cell is text, never HTML. */
function rows (tbody, data) {
  tbody.replaceChildren(...data.map(cells => {
    const tr = document.createElement('tr')
    for (const cell of cells) {
      const td = document.createElement('td')
      if (cell instanceof Node) td.append(cell)
      else td.textContent = String(cell)
      tr.append(td)
    }
    return tr
  }))
}

function badge (text) {
  const span = document.createElement('span')
  span.className = `state state-${text}`
  span.textContent = text
  return span
}

/** The task's main metric: accuracy for classification, MAE for regression. */
function mainMetric () {
  const last = state.rounds.at(-1)
  if (last?.accuracy !== undefined && last?.accuracy !== null) return 'accuracy'
  if (last?.mae !== undefined && last?.mae !== null) return 'mae'
  return 'accuracy'
}

function chart (id, title, series) {
  const element = $(id)
  const points = state.rounds.length
  const x = state.rounds.map(r => r.round)
  const data = [x, ...series.map(s => state.rounds.map(r => r[s] ?? null))]
  element.dataset.points = String(points)
  const width = Math.max(320, element.clientWidth || 420)
  if (charts[id] === undefined || charts[id].series.length !== series.length + 1) {
    charts[id]?.destroy()
    element.replaceChildren()
    charts[id] = new uPlot({
      title,
      width,
      height: 220,
      scales: { x: { time: false, range: (u, min, max) => [1, Math.max(2, max)] }, y: { range: (u, min, max) => (title === 'accuracy' ? [0, 1] : [0, Math.max(max, 0.1) * 1.1]) } },
      axes: [{ label: 'round', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }, {}],
      series: [{ label: 'round' }, ...series.map((s, i) => ({ label: s, stroke: ['#2f6fdf', '#1f8a4c', '#b42318'][i % 3], width: 2, points: { size: 6 } }))]
    }, data, element)
  } else {
    charts[id].setData(data)
  }
}

function render () {
  const s = state
  document.title = `${s.name ?? short(s.peerId)} · round ${s.round} · swarm`
  $('self-name').textContent = s.name ?? 'swarm peer'
  $('self-id').textContent = `${s.peerId} · swarm-node ${s.version} · ${s.backend}`
  const done = s.phase === 'done'
  $('headline').textContent = done
    ? `Finished ${s.learning.rounds} rounds with ${s.members.length} members.`
    : `Round ${s.round} of ${s.learning.rounds}, ${s.members.filter(m => m.state !== 'gone' && m.state !== 'done').length} members present.`
  $('round').textContent = done ? `${s.learning.rounds} of ${s.learning.rounds}` : `${s.round} of ${s.learning.rounds}`
  $('phase').textContent = PHASES[s.phase] ?? s.phase
  $('leader').textContent = s.leader === undefined ? '–' : label(s.leader)
  const waitedFor = s.waitingSince === undefined ? '' : `, for ${seconds(Date.now() - s.waitingSince)}`
  $('awaited').textContent = s.awaited.length === 0 ? 'nobody' : `${s.awaited.length} of ${s.participants.length}: ${s.awaited.map(label).join(', ')}${waitedFor}`
  $('strategy').textContent = `${s.learning.strategy}, ${s.learning.model} model, ${s.parameters.toLocaleString()} parameters`
  const privacy = []
  if (s.learning.secureAggregation) privacy.push(`secure aggregation${s.secureStage === undefined ? '' : ` (${SECURE_STAGES[s.secureStage] ?? s.secureStage})`}`)
  if (s.learning.dp !== 'none') privacy.push(`differential privacy (${s.learning.dp} level), ε spent ${s.epsilon === undefined ? '0' : s.epsilon.toFixed(2)}`)
  $('privacy').textContent = privacy.length === 0 ? 'updates in the clear; no differential privacy' : privacy.join('; ')

  const training = s.training
  $('training').hidden = training === undefined || s.phase !== 'training'
  if (training !== undefined) {
    const total = training.epochs * training.batches
    $('training-bar').value = ((training.epoch - 1) * training.batches + training.batch) / Math.max(1, total)
    $('training-text').textContent = `epoch ${training.epoch}/${training.epochs}, batch ${training.batch}/${training.batches}, loss ${Number.isFinite(training.loss) ? training.loss.toFixed(4) : '…'}`
  }

  rows($('members'), s.members.map(m => {
    const site = document.createElement('span')
    site.textContent = `${m.name ?? '(no name)'}${m.self ? ' · this peer' : ''}`
    if (m.self) site.className = 'self'
    const row = [site, short(m.peerId), badge(m.state)]
    return row
  }))
  for (const [i, tr] of [...$('members').children].entries()) tr.dataset.peer = s.members[i].peerId

  const metric = mainMetric()
  $('metric-head').textContent = metric
  rows($('timeline'), [...s.rounds].reverse().slice(0, 50).map(r => [
    r.round,
    label(r.leader),
    r.contributors.length,
    seconds(r.ms),
    r.failovers.length === 0 ? '–' : r.failovers.map(f => `${label(f.from)} → ${label(f.to)}`).join(', '),
    typeof r[metric] === 'number' ? r[metric].toFixed(4) : '–'
  ]))
  const extra = ['auc'].filter(m => s.rounds.some(r => typeof r[m] === 'number'))
  chart('accuracy-chart', metric === 'mae' ? 'mean absolute error' : 'accuracy', [metric, ...extra])
  chart('loss-chart', 'loss', ['loss'])

  $('bytes-sent').textContent = bytes(s.traffic.sent)
  $('bytes-received').textContent = bytes(s.traffic.received)
  rows($('protocols'), Object.entries(s.traffic.byProtocol).filter(([p]) => p !== 'global').sort((a, b) => (b[1].sent + b[1].received) - (a[1].sent + a[1].received)).map(([p, t]) => [p, bytes(t.sent), bytes(t.received)]))
  const drops = Object.entries(s.drops)
  rows($('drops'), drops.length === 0 ? [['none', 0]] : drops.map(([reason, n]) => [reason, n]))
}

function connect () {
  const events = new EventSource(withToken('events'))
  events.onmessage = message => {
    state = JSON.parse(message.data)
    $('connection').textContent = `live · updated ${new Date().toLocaleTimeString()}`
    render()
  }
  events.onerror = () => {
    $('connection').textContent = 'connection to the peer lost; retrying… (a peer that finished has stopped serving this page)'
  }
}

// the waiting time moves on between updates
setInterval(() => { if (state !== undefined && state.waitingSince !== undefined) render() }, 1000)
connect()
