// parse-prometheus-text-format ships no types: what the tests use of it.
declare module 'parse-prometheus-text-format' {
  export interface PrometheusSample {
    value?: string
    labels?: Record<string, string>
    buckets?: Record<string, string>
    count?: string
    sum?: string
  }
  export interface PrometheusFamily { name: string, help: string, type: string, metrics: PrometheusSample[] }
  export default function parsePrometheusTextFormat (text: string): PrometheusFamily[]
}
