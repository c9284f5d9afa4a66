// Validation of every webview → host message (the webview is the less-trusted side). Never throws.
import { MAX_IMAGE_DATA_URL_LENGTH, type FromWebviewMessage } from './messages';
import type { MatrixView } from './matrixView';

const MAX_INDEX = 1_000_000;
const MAX_LOG_LENGTH = 10_000;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < MAX_INDEX;
}

function isRequestId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isQuery(v: unknown): v is number | null {
  return v === null || isIndex(v);
}

/** A well-formed view (bounds against the model are the host's job: it knows layers/heads/N). */
export function parseMatrixView(raw: unknown): MatrixView | undefined {
  if (!isRecord(raw)) return undefined;
  const { layer, head, aggregate } = raw;
  if (aggregate === undefined) return isIndex(layer) && isIndex(head) ? { layer, head } : undefined;
  if (head !== undefined) return undefined;
  if (aggregate === 'mean' || aggregate === 'max') return isIndex(layer) ? { layer, aggregate } : undefined;
  if (aggregate === 'rollout') {
    if (layer === undefined) return { aggregate };
    return isIndex(layer) ? { aggregate, layer } : undefined;
  }
  return undefined;
}

/** Parses one webview message; undefined (ignore it) when the shape is wrong. */
export function parseFromWebview(raw: unknown): FromWebviewMessage | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
      return raw.surface === 'panel' || raw.surface === 'sidePanel' ? { type: 'ready', surface: raw.surface } : undefined;
    case 'requestMatrix': {
      const view = parseMatrixView(raw.view);
      return view && isRequestId(raw.requestId) ? { type: 'requestMatrix', requestId: raw.requestId, view } : undefined;
    }
    case 'hoverToken': {
      const view = parseMatrixView(raw.view);
      if (!view || !isQuery(raw.query) || typeof raw.pinned !== 'boolean') return undefined;
      return { type: 'hoverToken', query: raw.query, view, pinned: raw.pinned };
    }
    case 'pinToken': {
      const view = parseMatrixView(raw.view);
      return view && isQuery(raw.query) ? { type: 'pinToken', query: raw.query, view } : undefined;
    }
    case 'viewChanged': {
      const view = parseMatrixView(raw.view);
      return view ? { type: 'viewChanged', view } : undefined;
    }
    case 'openHead':
      return isIndex(raw.layer) && isIndex(raw.head) ? { type: 'openHead', layer: raw.layer, head: raw.head } : undefined;
    case 'openAnalysis':
      return typeof raw.analysisId === 'string' && raw.analysisId.length > 0 && raw.analysisId.length <= 200
        ? { type: 'openAnalysis', analysisId: raw.analysisId }
        : undefined;
    case 'rerun':
      return { type: 'rerun' };
    case 'exportImage':
      return isRequestId(raw.requestId) &&
        typeof raw.dataUrl === 'string' &&
        raw.dataUrl.startsWith('data:image/png;base64,') &&
        raw.dataUrl.length <= MAX_IMAGE_DATA_URL_LENGTH
        ? { type: 'exportImage', requestId: raw.requestId, dataUrl: raw.dataUrl }
        : undefined;
    case 'exportData': {
      const view = parseMatrixView(raw.view);
      return view && isRequestId(raw.requestId) && (raw.format === 'csv' || raw.format === 'json')
        ? { type: 'exportData', requestId: raw.requestId, format: raw.format, view }
        : undefined;
    }
    case 'selectModel':
      return { type: 'selectModel' };
    case 'log':
      return (raw.level === 'error' || raw.level === 'warn' || raw.level === 'info') && typeof raw.message === 'string'
        ? { type: 'log', level: raw.level, message: raw.message.slice(0, MAX_LOG_LENGTH) }
        : undefined;
    default:
      return undefined;
  }
}
