export { identityRoutes, installAuthentication } from './identity.routes.ts';
export {
  createTeam,
  createUser,
  listTeams,
  managerOf,
  people,
  teamByKey,
  teamIdsOf,
  teamRefs,
  userExists,
} from './identity.service.ts';
