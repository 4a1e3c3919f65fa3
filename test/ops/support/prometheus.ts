/** The value of one series in Prometheus' text format (`name{label="value"}`), if it is there. */
export function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
