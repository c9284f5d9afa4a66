// Messages both webviews may send: Re-run, Switch model, open a recent analysis, How to read this, and log lines.
import type { FromWebviewMessage } from '../../shared/messages';
import type { AnalysisController } from '../analysis/analysisController';
import type { Logger } from '../analysis/workbench';

export function commonMessageHandler(controller: AnalysisController, selectModel: () => unknown, log: Logger, openGuide?: () => unknown) {
  return async (message: FromWebviewMessage): Promise<void> => {
    switch (message.type) {
      case 'rerun':
        return controller.rerun();
      case 'selectModel':
        await selectModel();
        return;
      case 'openAnalysis':
        return controller.openRecent(message.analysisId);
      case 'openGuide':
        await openGuide?.();
        return;
      case 'log':
        log[message.level](`webview: ${message.message}`);
        return;
      default:
        log.debug(`Ignored "${message.type}" from a webview that does not use it.`);
    }
  };
}
