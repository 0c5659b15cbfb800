import type { Estimate } from "./estimate.js";
import { PRICE_TABLE } from "./prices.js";

const dollars = (value: number) => `$${value.toFixed(2)}`;

/** A table of monthly costs: one column per estimate, rows merged by item. */
export function renderCostTable(estimates: { heading: string; estimate: Estimate }[]): string[] {
  const items = [...new Set(estimates.flatMap(({ estimate }) => estimate.lines.map((line) => line.item)))];
  const cell = (estimate: Estimate, item: string) => {
    const line = estimate.lines.find((l) => l.item === item);
    return line ? dollars(line.monthly) : "-";
  };
  const rows = [
    ["monthly cost", ...estimates.map((e) => e.heading)],
    ...items.map((item) => [item, ...estimates.map((e) => cell(e.estimate, item))]),
    ["total", ...estimates.map((e) => dollars(e.estimate.total))],
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const format = (row: string[]) => row.map((value, column) => (column === 0 ? value.padEnd(widths[column]!) : value.padStart(widths[column]!))).join("  ");
  return [
    ...rows.map(format),
    "",
    `Prices as of ${PRICE_TABLE.asOf} (${PRICE_TABLE.source}; ` +
      `spot = ${PRICE_TABLE.spotShareOfOnDemand * 100}% of on-demand), ${PRICE_TABLE.hoursPerMonth} hours a month.`,
    "Not included: data transfer, EBS snapshots, taxes. Check the AWS Pricing Calculator before you budget.",
  ];
}
