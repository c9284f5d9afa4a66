// Show Attention with Continuation…: a decoder-only model generates n tokens after the selection, and the panel
// shows what each generated token attended to (the continuation is marked as generated in the panel's strip).
import * as vscode from 'vscode';
import type { AnalysisController } from '../analysis/analysisController';
import { continuationLengthProblem } from '../analysis/decoderRequest';
import { COMMANDS, type Command } from './command';
import { editorTarget } from './showAttention';

const DEFAULT_CONTINUATION = '20';

export function showAttentionWithContinuation(controller: AnalysisController): Command {
  return {
    id: COMMANDS.showAttentionWithContinuation,
    run: async () => {
      const target = editorTarget();
      if (!target) return;
      const answer = await vscode.window.showInputBox({
        title: vscode.l10n.t('Show Attention with Continuation'),
        prompt: vscode.l10n.t('How many tokens should the model generate after the text? (greedy decoding, a decoder-only model such as GPT-2 or LLaMA)'),
        value: DEFAULT_CONTINUATION,
        validateInput: continuationLengthProblem,
      });
      if (answer === undefined) return;
      await controller.analyze(target.uri, target.range, { kind: 'continue', tokens: Number(answer.trim()) });
    },
  };
}
