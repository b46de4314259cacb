export { identityRoutes, installAuthentication } from './identity.routes.ts';
export {
  createTeam,
  createUser,
  ensureMachineAccount,
  machineToken,
  listTeams,
  managerOf,
  people,
  personByEmail,
  reportIds,
  teamByKey,
  teamIdsOf,
  teamMemberIds,
  teamRefs,
  userExists,
  userIdsWithRole,
} from './identity.service.ts';
