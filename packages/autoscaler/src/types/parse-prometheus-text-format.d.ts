// parse-prometheus-text-format ships no types. Its output is validated with zod (src/handler/parse-feed.ts), so it is
// typed as unknown here rather than trusted.
declare module "parse-prometheus-text-format" {
  /** Parses Prometheus text exposition format into metric families (prom2json's shape). Throws on a malformed line. */
  export default function parsePrometheusTextFormat(text: string): unknown;
}
