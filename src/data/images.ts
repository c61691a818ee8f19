/**
 * Image folders: one subfolder of PNG or JPEG images per class, turned into a
 * data set of fixed-size images with values in [0, 1], laid out height × width × channels.
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { decode as decodeJpeg } from 'jpeg-js'
import { PNG } from 'pngjs'
import type { Dataset } from './dataset.ts'
import { sampleSize } from './dataset.ts'
import { DataError } from '../errors.ts'

export interface ImageSize { width: number, height: number }

export interface ImageFolderOptions {
  /** every image is resized to this; default: the size of the first image */
  size?: ImageSize
  channels: 1 | 3
  /** leave out images that cannot be decoded (listed in `skipped`) instead of failing */
  skipBadImages: boolean
  /** the swarm's classes: the folders must be among them, and labels index this list */
  classNames?: string[]
  progress?: (done: number, total: number) => void
}

export interface ImageFolder {
  data: Dataset
  skipped: Array<{ file: string, problem: string }>
}

/** Larger images are refused before decoding: one would take gigabytes. */
export const MAX_IMAGE_SIDE = 10_000
const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg'])
const PROGRESS_INTERVAL_MS = 250

/** Why one image file cannot be used; the callers turn it into a DataError with the fix that fits. */
class BadImage extends Error {}

export async function loadImageFolder (dir: string, options: ImageFolderOptions): Promise<ImageFolder> {
  const classes = await listClasses(dir, options.classNames)
  const files = classes.flatMap(({ label, images }) => images.map(file => ({ file, label })))
  const skipped: ImageFolder['skipped'] = []
  let size = options.size
  let features = new Float32Array(0)
  const labels = new Float32Array(files.length)
  let count = 0
  let lastProgress = Date.now()
  for (const [index, { file, label }] of files.entries()) {
    try {
      const image = await readImage(file)
      size ??= { width: image.width, height: image.height }
      const pixels = preprocess(image, size, options.channels)
      // the size is known from the first good image; skipped images leave the end unused
      if (count === 0) features = new Float32Array(files.length * pixels.length)
      features.set(pixels, count * pixels.length)
      labels[count++] = label
    } catch (err) {
      if (!(err instanceof BadImage)) throw err
      if (!options.skipBadImages) {
        throw new DataError(`cannot use image ${file}: ${err.message}; replace or delete it, or pass --skip-bad-images to skip such files`)
      }
      skipped.push({ file, problem: err.message })
    }
    if (index + 1 === files.length || Date.now() - lastProgress >= PROGRESS_INTERVAL_MS) {
      options.progress?.(index + 1, files.length)
      lastProgress = Date.now()
    }
  }
  if (count === 0 || size === undefined) {
    throw new DataError(`none of the ${files.length} images in ${dir} could be decoded (first: ${skipped[0].file}: ${skipped[0].problem}); replace them with PNG or JPEG files`)
  }
  const sampleShape = [size.height, size.width, options.channels]
  return {
    data: {
      features: count === files.length ? features : features.slice(0, count * sampleSize(sampleShape)),
      labels: count === files.length ? labels : labels.slice(0, count),
      count,
      sampleShape,
      labelKind: 'class',
      classNames: options.classNames ?? classes.map(c => c.name)
    },
    skipped
  }
}

/** One image, preprocessed like the images of a folder, for predicting its class. */
export async function loadImageFile (file: string, size: ImageSize, channels: 1 | 3): Promise<Float32Array> {
  try {
    return preprocess(await readImage(file), size, channels)
  } catch (err) {
    if (err instanceof BadImage) throw new DataError(`cannot use image ${file}: ${err.message}; give a PNG or JPEG image`)
    throw err
  }
}

/** The class folders in label order, each with its image files in name order. */
async function listClasses (dir: string, classNames?: string[]): Promise<Array<{ name: string, label: number, images: string[] }>> {
  const layout = `it should hold one subfolder of images per class (e.g. ${join(dir, 'cat', '1.png')})`
  const info = await stat(dir).catch(() => undefined)
  if (info === undefined) throw new DataError(`image folder ${dir} does not exist: check the path; ${layout}`)
  if (!info.isDirectory()) throw new DataError(`${dir} is a file, not a folder: give the image folder instead; ${layout}`)
  const folders: string[] = []
  for (const name of visibleEntries(await readdir(dir))) {
    if ((await stat(join(dir, name))).isDirectory()) folders.push(name)
  }
  if (folders.length === 0) {
    const tables = visibleEntries(await readdir(dir)).filter(name => /\.(csv|tsv|txt)$/i.test(name))
    if (tables.length > 0) {
      throw new DataError(`${dir} is a folder of ${tables.length} table file${tables.length === 1 ? '' : 's'} (${tables.slice(0, 3).join(', ')}${tables.length > 3 ? ', …' : ''}), not of images: give one CSV file as --data, such as --data ${join(dir, tables[0])} (each site uses its own file)`)
    }
    throw new DataError(`image folder ${dir} has no class subfolders: ${layout}`)
  }
  const classes = []
  for (const name of folders) {
    const label = classNames === undefined ? folders.indexOf(name) : classNames.indexOf(name)
    if (label === -1) {
      throw new DataError(`class folder ${join(dir, name)} is not one of the swarm's classes (${classNames?.join(', ')}): rename it to one of them or remove it`)
    }
    const images = visibleEntries(await readdir(join(dir, name)))
      .filter(file => IMAGE_EXTENSIONS.has(extname(file).toLowerCase()))
      .map(file => join(dir, name, file))
    if (images.length === 0) throw new DataError(`class folder ${join(dir, name)} has no .png, .jpg or .jpeg images: add some or remove the folder`)
    classes.push({ name, label, images })
  }
  return classes
}

function visibleEntries (names: string[]): string[] {
  return names.filter(name => !name.startsWith('.')).sort()
}

interface RgbaImage { width: number, height: number, rgba: Uint8Array }

/** Reads and decodes a PNG or JPEG file (recognised by its content, not its name) into 8-bit RGBA. */
async function readImage (file: string): Promise<RgbaImage> {
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT'
    throw new BadImage(missing ? 'no such file' : `cannot read the file (${(err as Error).message})`)
  }
  const isPng = bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8
  if (!isPng && !isJpeg) throw new BadImage('not a PNG or JPEG image')
  const header = isPng ? pngSize(bytes) : jpegSize(bytes)
  if (header !== undefined && (header.width > MAX_IMAGE_SIDE || header.height > MAX_IMAGE_SIDE)) {
    throw new BadImage(`${header.width}×${header.height} pixels is over the limit of ${MAX_IMAGE_SIDE} pixels a side`)
  }
  try {
    if (isPng) {
      const png = PNG.sync.read(bytes)
      return { width: png.width, height: png.height, rgba: png.data }
    }
    const image = decodeJpeg(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: MAX_IMAGE_SIDE * MAX_IMAGE_SIDE / 1e6,
      maxMemoryUsageInMB: 1024
    })
    return { width: image.width, height: image.height, rgba: image.data }
  } catch (err) {
    throw new BadImage(`the ${isPng ? 'PNG' : 'JPEG'} decoder says: ${(err as Error).message}`)
  }
}

/** The size in a PNG's IHDR chunk, which always comes first. */
function pngSize (bytes: Buffer): ImageSize | undefined {
  if (bytes.length < 24 || bytes.toString('latin1', 12, 16) !== 'IHDR') return undefined
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
}

/** The size in a JPEG's start-of-frame segment, found by skipping the segments before it. */
function jpegSize (bytes: Buffer): ImageSize | undefined {
  let at = 2
  while (at + 9 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1]
    // SOF0 to SOF15, less DHT (C4), JPG (C8) and DAC (CC), which share the range
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) }
    }
    at += 2 + bytes.readUInt16BE(at + 2)
  }
  return undefined
}

/** RGBA bytes → `channels` values in [0, 1] per pixel, resized to `size`. */
function preprocess (image: RgbaImage, size: ImageSize, channels: 1 | 3): Float32Array {
  const { width, height, rgba } = image
  const pixels = new Float32Array(width * height * channels)
  for (let p = 0; p < width * height; p++) {
    const [r, g, b] = [rgba[4 * p], rgba[4 * p + 1], rgba[4 * p + 2]]
    if (channels === 1) {
      pixels[p] = (0.299 * r + 0.587 * g + 0.114 * b) / 255
    } else {
      pixels[3 * p] = r / 255
      pixels[3 * p + 1] = g / 255
      pixels[3 * p + 2] = b / 255
    }
  }
  return resize(pixels, { width, height }, size, channels)
}

/**
 * Area-average resampling: each output pixel is the mean of the source pixels
 * its footprint covers, weighted by how much of each it covers. Shrinking
 * averages without aliasing; enlarging repeats pixels.
 */
function resize (pixels: Float32Array, from: ImageSize, to: ImageSize, channels: number): Float32Array {
  if (from.width === to.width && from.height === to.height) return pixels
  const columns = coverage(from.width, to.width)
  const rows = coverage(from.height, to.height)
  const out = new Float32Array(to.width * to.height * channels)
  for (let y = 0; y < to.height; y++) {
    for (let x = 0; x < to.width; x++) {
      for (const [sourceY, weightY] of rows[y]) {
        for (const [sourceX, weightX] of columns[x]) {
          const source = (sourceY * from.width + sourceX) * channels
          const target = (y * to.width + x) * channels
          for (let c = 0; c < channels; c++) out[target + c] += weightY * weightX * pixels[source + c]
        }
      }
    }
  }
  return out
}

/** For each of `to` output pixels along one axis: the source pixels (of `from`) it covers, with weights summing to 1. */
function coverage (from: number, to: number): Array<Array<[number, number]>> {
  const scale = from / to
  return Array.from({ length: to }, (_, i) => {
    const start = i * scale
    const end = start + scale
    const covered: Array<[number, number]> = []
    for (let source = Math.floor(start); source < Math.min(Math.ceil(end), from); source++) {
      covered.push([source, (Math.min(end, source + 1) - Math.max(start, source)) / scale])
    }
    return covered
  })
}
