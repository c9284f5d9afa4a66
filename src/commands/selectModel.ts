// Select Model…: the model picker; the switch re-runs the open analysis with the picked model. A Hub model is
// downloaded and checked (with the stored token, for gated models) before the setting changes.
import type { HubTokenStore } from '../models/hubTokenStore';
import type { ModelSwitch } from '../models/modelSwitch';
import { pickModel } from '../models/modelPicker';
import { COMMANDS, type Command } from './command';

export function selectModel(modelSwitch: ModelSwitch, tokens: HubTokenStore): Command {
  return { id: COMMANDS.selectModel, run: () => modelSwitch.pick(() => pickModel(tokens)) };
}
