export { budgetImpact, zeroAmounts, type Amounts } from './org.budget.ts';
export { orgRoutes } from './org.routes.ts';
export {
  budgetOf,
  holdBudget,
  chargeableCostCentre,
  costCentreByCode,
  costCentreIdsOwnedBy,
  costCentreOwnerId,
  costCentreRefs,
  createCostCentre,
  createDepartment,
  departmentOf,
  placePerson,
  placementOf,
  setBudget,
  type Placement,
} from './org.service.ts';
