export { sharedItems, type SharedItem, type SharingScope } from './sharing-scope';
export { TeamsModule } from './teams.module';
export { TeamsService, type CoachedTeam, type Invite, type InviteAnswer, type RunnerMembership, type TeamMember } from './teams.service';
