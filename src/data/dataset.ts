/** A labelled data set held as flat typed arrays (row-major features). */
export interface Dataset {
  /** count × featureSize values in [0, 1] */
  features: Float32Array
  labels: Uint8Array
  count: number
  featureSize: number
  numClasses: number
}

/** The data a peer works with: its own training share and the shared held-out test set. */
export interface PeerData {
  train: Dataset
  test: Dataset
  /** where the data came from, for the start-up output */
  source: string
}

/** A new data set holding the given rows of `data`, in that order. */
export function selectRows (data: Dataset, rows: ArrayLike<number>): Dataset {
  const features = new Float32Array(rows.length * data.featureSize)
  const labels = new Uint8Array(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]
    features.set(data.features.subarray(row * data.featureSize, (row + 1) * data.featureSize), i * data.featureSize)
    labels[i] = data.labels[row]
  }
  return { features, labels, count: rows.length, featureSize: data.featureSize, numClasses: data.numClasses }
}
