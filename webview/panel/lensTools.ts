// The lens tools bar under the heatmap: weighting (weights / weighted by value norm), sinks (what they are, and
// leaving them out of the colour scale), Compare…, and How to read this. Its own row, so the toolbar stays the
// layer/head/export row.
import { describeView } from '../../shared/matrixView';
import type { PanelFeaturesMessage } from '../../shared/messages';
import { CompareView } from './compareView';
import { lens } from './lensState';
import { paint, showView } from './matrixDisplay';
import { SINK_SENTENCE, sinkSummary } from './sinks';
import type { Panel } from './state';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function wireLensTools(panel: Panel): void {
  const bar = el('div', 'lens-tools');
  bar.dataset.testid = 'lens-tools';

  const weighting = el('select');
  weighting.dataset.testid = 'weighting-select';
  weighting.setAttribute('aria-label', 'What the cells show');
  weighting.append(new Option('weights', 'weights'), new Option('weighted by value norm', 'value-norm'));
  const weightingReason = el('span', 'reason');
  weightingReason.dataset.testid = 'value-norm-reason';
  const weightingLabel = el('label', undefined, 'Cells: ');
  weightingLabel.append(weighting);
  weighting.title = 'Weighted by value norm: α_ij · ‖f_h(x_j)‖, how much token j actually moves head h\'s output (Kobayashi et al. 2020); unnormalised.';

  const sinkToggle = el('input');
  sinkToggle.type = 'checkbox';
  sinkToggle.dataset.testid = 'sink-toggle';
  const sinkLabel = el('label', 'sink-label');
  sinkLabel.append(sinkToggle, document.createTextNode(' Leave sinks (⚓) out of the colour scale'));
  sinkLabel.title = SINK_SENTENCE;
  const sinkNote = el('span', 'sink-note');
  sinkNote.dataset.testid = 'sink-note';
  sinkNote.title = SINK_SENTENCE;
  const sinkHelp = el('span', 'sink-help', '(?)');
  sinkHelp.title = SINK_SENTENCE;
  sinkHelp.setAttribute('aria-label', SINK_SENTENCE);
  sinkHelp.setAttribute('role', 'note');

  const compareButton = el('button', 'link-button', 'Compare…');
  compareButton.dataset.testid = 'compare-open';
  compareButton.title = 'Two heads side by side, or this head before and after your last edit';
  const guideButton = el('button', 'link-button', 'How to read this');
  guideButton.dataset.testid = 'how-to-read';
  guideButton.title = 'What attention weights do and do not tell you: sinks, rollout, value-norm, the aggregates';

  bar.append(weightingLabel, weightingReason, sinkLabel, sinkHelp, sinkNote, compareButton, guideButton);
  const compare = new CompareView(panel);
  panel.dom.legend.element.after(bar, compare.element);

  const refresh = () => {
    const available = lens.valueNorm.available;
    weighting.disabled = !available;
    if (!available && lens.weighting === 'value-norm') lens.weighting = 'weights';
    weighting.value = lens.weighting;
    weightingReason.textContent = lens.valueNorm.available ? '' : `Value norm unavailable: ${lens.valueNorm.reason}`;
    sinkToggle.checked = lens.excludeSinks;
    sinkNote.textContent = sinkSummary(panel);
    panel.dom.heatmap.dataset.weighting = lens.weighting;
  };
  lens.onChange = refresh;
  refresh();

  weighting.addEventListener('change', () => {
    lens.weighting = weighting.value === 'value-norm' && lens.valueNorm.available ? 'value-norm' : 'weights';
    panel.cache.clear();
    refresh();
    if (panel.state.init) showView(panel, panel.state.view, false);
  });
  sinkToggle.addEventListener('change', () => {
    lens.excludeSinks = sinkToggle.checked;
    paint(panel);
  });
  compareButton.addEventListener('click', () => compare.toggle());
  guideButton.addEventListener('click', () => panel.api.postMessage({ type: 'openGuide' }));

  lens.onFeatures = (message: PanelFeaturesMessage) => {
    {
      if (panel.state.init && message.analysisId !== panel.state.init.analysisId) return;
      const was = lens.weighting;
      lens.valueNorm = message.valueNorm;
      refresh();
      compare.reset(describeView(panel.state.view));
      // A new analysis that cannot give value norm: show its weights (the cache of the old weighting is gone).
      if (was !== lens.weighting && panel.state.init) {
        panel.cache.clear();
        showView(panel, panel.state.view, false);
      }
    }
  };
}
