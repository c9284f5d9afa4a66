// Open Log: the extension's output channel.
import { log } from '../common/log';
import { COMMANDS, type Command } from './command';

export function openLog(): Command {
  return { id: COMMANDS.openLog, run: () => log().show() };
}
