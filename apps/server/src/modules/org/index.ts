export {
  chargeableCostCentre,
  costCentreOwnerId,
  costCentreRefs,
  createCostCentre,
  createDepartment,
  placePerson,
  placementOf,
  type Placement,
} from './org.service.ts';
