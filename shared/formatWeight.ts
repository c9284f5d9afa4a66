// One format for an attention weight wherever a person reads it (panel tooltip and live region, colour legend,
// editor hover card): a percentage, with two decimals below 10 % so small weights do not all read 0.0 %.

export function formatWeight(w: number): string {
  if (!Number.isFinite(w)) return '—';
  const percent = w * 100;
  if (percent === 0) return '0%';
  if (Math.abs(percent) < 0.01) return '<0.01%';
  return `${percent.toFixed(Math.abs(percent) < 10 ? 2 : 1)}%`;
}
