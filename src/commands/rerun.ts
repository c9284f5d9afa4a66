// Re-run on Changed Text: the same range (moved and stretched by edits since) with the current model.
import type { AnalysisController } from '../analysis/analysisController';
import { COMMANDS, type Command } from './command';

export function rerun(controller: AnalysisController): Command {
  return { id: COMMANDS.rerun, run: () => controller.rerun() };
}
