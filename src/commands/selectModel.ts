// Select Model…: the model picker; the switch re-runs the open analysis with the picked model.
import type { ModelSwitch } from '../models/modelSwitch';
import { pickModel } from '../models/modelPicker';
import { COMMANDS, type Command } from './command';

export function selectModel(modelSwitch: ModelSwitch): Command {
  return { id: COMMANDS.selectModel, run: () => modelSwitch.pick(pickModel) };
}
