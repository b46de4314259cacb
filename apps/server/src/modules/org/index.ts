export { budgetImpact, zeroAmounts, type Amounts } from './org.budget.ts';
export { orgRoutes } from './org.routes.ts';
export {
  budgetOf,
  budgetsOf,
  holdBudget,
  chargeableCostCentre,
  costCentreByCode,
  chargeModesOf,
  costCentreIdsOwnedBy,
  costCentresOwnedBy,
  costCentreOwnerId,
  costCentreRefs,
  costCentresInForce,
  createCostCentre,
  createDepartment,
  departmentOf,
  placePerson,
  placementOf,
  setBudget,
  setChargeMode,
  type Placement,
} from './org.service.ts';
