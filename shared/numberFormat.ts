// One number format for attention weights everywhere (heatmap tooltip, live region, legend, hover card, strip,
// exports' ticks): four decimals, never percent, so the same weight reads the same in every view. Pure.

export function formatWeight(w: number): string {
  return Number.isFinite(w) ? w.toFixed(4) : '—';
}
