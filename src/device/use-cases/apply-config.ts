/** The cloud's `config`: merge the named settings into the persisted ones and apply them. */
import type { ConfigCommand, DeviceSettings } from '../../contract/commands.ts';
import type { AgentContext } from '../context.ts';
import type { ResponseDraft } from '../outbox.ts';
import { saveConfiguredSettings } from '../settings.ts';

/** Apply a config command; answers with the effective settings. */
export function handleConfig(
  ctx: AgentContext,
  cmd: ConfigCommand,
  onChanged: (s: DeviceSettings) => void,
): ResponseDraft {
  saveConfiguredSettings(ctx.store, cmd.settings);
  const settings = ctx.settings();
  onChanged(settings);
  ctx.stateChanged();
  return { status: 'ok', details: { applied: true, settings } };
}
