// What the panel's init message says about the decoder's side of an analysis: the target text with its tokens
// (an encoder–decoder), or where a generated continuation begins (decoder-only).
import type { InitMessage } from '../../shared/messages';
import type { AttentionResult } from '../engine/types';

export function targetFacts(result: AttentionResult): Pick<InitMessage, 'target' | 'continuation'> {
  const { target, continuation } = result;
  return {
    ...(target
      ? { target: { text: target.text, tokens: target.tokens.map(({ text, start, end, special }) => ({ text, start, end, special })), generated: target.generated } }
      : {}),
    ...(continuation ? { continuation: { firstToken: continuation.firstToken } } : {}),
  };
}
