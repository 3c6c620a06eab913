/** The service levels agents' views draw clocks with: the targets, and the weekly hours they may count in. */
import type { RoutingSettings, SlaTargets, WeeklyHours, WidgetSettings } from '@charla/protocol';
import { routingSettingsOf } from '../routing/routing.js';
import type { Store } from '../store/index.js';
import { weeklyHoursOf, widgetSettingsOf } from './widget.js';

export interface ServiceLevels {
  sla: SlaTargets;
  /** The workspace's time zone and weekly hours, when the targets count business hours. */
  hours: WeeklyHours | null;
}

export function serviceLevelsOf(routing: RoutingSettings, widget: Pick<WidgetSettings, 'timezone' | 'businessHours'>): ServiceLevels {
  return { sla: routing.sla, hours: routing.sla.businessHours ? weeklyHoursOf(widget) : null };
}

/** Tells the workspace's agents the service levels changed (targets, or the hours they count in), so clocks follow at once. */
export async function announceServiceLevels(store: Store, workspaceId: string): Promise<void> {
  await store.transaction(async (scope) => {
    const [routing, { settings }] = await Promise.all([routingSettingsOf(scope, workspaceId), widgetSettingsOf(scope, workspaceId)]);
    scope.events.append(workspaceId, {
      type: 'service_levels.changed',
      conversationId: null,
      contactId: null,
      visibility: 'agents',
      data: serviceLevelsOf(routing, settings),
    });
  });
}
