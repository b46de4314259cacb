export { seesDrafts } from './catalog.policy.ts';
export { catalogRoutes } from './catalog.routes.ts';
export {
  categoryDocuments,
  categoryNames,
  changeLifecycle,
  documentOf,
  findServiceBySlug,
  getServicePage,
  indexable,
  allServiceIds,
  linkAlternatives,
  listCategories,
  listManaged,
  orderablePlan,
  planBySlugs,
  planRefs,
  presentPlan,
  requireService,
  saveCategory,
  saveService,
  serviceRefs,
  versionsOf,
  offerOf,
  serviceIdsNamed,
  leaseOfPlan,
} from './catalog.service.ts';
export { catalogToYaml, entryToYaml, parseCatalogYaml, type YamlError } from './catalog.yaml.ts';
