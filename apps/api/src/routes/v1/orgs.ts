export { orgsRoutes } from './orgs/index';
