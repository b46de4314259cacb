export { identityRoutes, installAuthentication } from './identity.routes.ts';
export {
  createTeam,
  createUser,
  managerOf,
  people,
  teamByKey,
  teamIdsOf,
  teamRefs,
  userExists,
} from './identity.service.ts';
