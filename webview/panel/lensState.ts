// The lens tools' state (weighting, sinks, comparisons): one panel per webview, so one module-level object, kept
// apart from PanelState so the tools stay in their own files.
import type { PanelFeaturesMessage, Weighting } from '../../shared/messages';

export interface LensState {
  weighting: Weighting;
  valueNorm: PanelFeaturesMessage['valueNorm'];
  /** Leave sink columns out of the colour scale. */
  excludeSinks: boolean;
  /** Sink columns of the matrix shown (token indices). */
  sinks: number[];
  /** Called when something the tools bar shows changed (features of a new analysis, the sinks of a new matrix). */
  onChange?: () => void;
  /** The host said what this analysis offers (set by the tools bar). */
  onFeatures?: (message: PanelFeaturesMessage) => void;
}

export const lens: LensState = {
  weighting: 'weights',
  valueNorm: { available: false, reason: 'waiting for the analysis' },
  excludeSinks: false,
  sinks: [],
};

/** The `weighting` field of a matrix request: absent for the plain weights (the message stays as before). */
export function weightingField(): { weighting?: Weighting } {
  return lens.weighting === 'value-norm' ? { weighting: 'value-norm' } : {};
}
