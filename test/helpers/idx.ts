/** Writes a small MNIST-layout IDX folder: image i shows a bright band whose position is its label. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { IDX_FILES } from '../../src/data/idx.ts'

function idx (dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length)
  header[2] = 0x08
  header[3] = dims.length
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i))
  return Buffer.concat([header, data])
}

function images (count: number): { images: Buffer, labels: Buffer } {
  const pixels = new Uint8Array(count * 784)
  const labels = new Uint8Array(count)
  for (let i = 0; i < count; i++) {
    const label = i % 10
    labels[i] = label
    for (let col = 0; col < 28; col++) pixels[i * 784 + (label * 2 + 4) * 28 + col] = 255
  }
  return { images: idx([count, 28, 28], pixels), labels: idx([count], labels) }
}

export function writeIdxFolder (dir: string, options: { train: number, test: number, gzip?: boolean }): void {
  mkdirSync(dir, { recursive: true })
  const write = (name: string, data: Buffer): void => {
    if (options.gzip === true) writeFileSync(join(dir, `${name}.gz`), gzipSync(data))
    else writeFileSync(join(dir, name), data)
  }
  const train = images(options.train)
  const test = images(options.test)
  write(IDX_FILES.trainImages, train.images)
  write(IDX_FILES.trainLabels, train.labels)
  write(IDX_FILES.testImages, test.images)
  write(IDX_FILES.testLabels, test.labels)
}
