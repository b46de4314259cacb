// @portico/cloud-broker: a simulated private-cloud Open Service Broker (OSB API v2.17).
export { startBroker, buildBroker, type BrokerOptions, type RunningBroker } from './app.ts';
export { SERVICES, type ServiceDef, type PlanDef, type PlanSize } from './catalog.ts';
export { parseTriggers, type FailureOptions, type Triggers } from './simulation.ts';
export { loadBrokerConfig, BrokerConfigError, type BrokerConfig } from './config.ts';
export {
  USAGE_EVENT_TYPES,
  usageEventsFor,
  type UsageEvent,
  type UsageOptions,
  type UsageReport,
} from './usage.emitter.ts';
