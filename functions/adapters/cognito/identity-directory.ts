import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
  type CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { type Identity, type IdentityDirectory, loginName } from '../../domain/organisation/identity';
import { ConflictError } from '../../domain/shared/errors';

const TENANT_ATTRIBUTE = 'custom:tenantId';

/** Logins in a Cognito user pool: username `<tenant>.<user>`, roles as groups, tenant as an immutable attribute. */
export class CognitoIdentityDirectory implements IdentityDirectory {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: () => string,
  ) {}

  async ensure(identity: Identity): Promise<'created' | 'updated'> {
    const UserPoolId = this.userPoolId();
    const Username = loginName(identity.tenantId, identity.userId);
    const attributes = [
      { Name: 'email', Value: identity.email },
      { Name: 'email_verified', Value: 'true' },
      { Name: 'name', Value: identity.name },
    ];
    const existing = await this.find(Username);
    let outcome: 'created' | 'updated';
    if (!existing) {
      await this.client.send(
        new AdminCreateUserCommand({
          UserPoolId,
          Username,
          UserAttributes: [...attributes, { Name: TENANT_ATTRIBUTE, Value: identity.tenantId }],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
      outcome = 'created';
    } else {
      const tenant = existing.UserAttributes?.find((a) => a.Name === TENANT_ATTRIBUTE)?.Value;
      if (tenant !== identity.tenantId) {
        throw new ConflictError(`Login ${Username} belongs to another tenant`);
      }
      await this.client.send(
        new AdminUpdateUserAttributesCommand({ UserPoolId, Username, UserAttributes: attributes }),
      );
      outcome = 'updated';
    }
    await this.syncGroups(UserPoolId, Username, identity.roles);
    if (identity.enabled && existing?.Enabled === false) {
      await this.client.send(new AdminEnableUserCommand({ UserPoolId, Username }));
    }
    if (!identity.enabled && existing?.Enabled !== false) {
      await this.client.send(new AdminDisableUserCommand({ UserPoolId, Username }));
    }
    return outcome;
  }

  async remove(tenantId: string, userId: string): Promise<'removed' | 'absent'> {
    try {
      await this.client.send(
        new AdminDeleteUserCommand({ UserPoolId: this.userPoolId(), Username: loginName(tenantId, userId) }),
      );
      return 'removed';
    } catch (error) {
      if (error instanceof UserNotFoundException) return 'absent';
      throw error;
    }
  }

  private async find(Username: string) {
    try {
      return await this.client.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId(), Username }));
    } catch (error) {
      if (error instanceof UserNotFoundException) return undefined;
      throw error;
    }
  }

  private async syncGroups(UserPoolId: string, Username: string, roles: readonly string[]) {
    const current = new Set<string>();
    let NextToken: string | undefined;
    do {
      const page = await this.client.send(
        new AdminListGroupsForUserCommand({ UserPoolId, Username, NextToken }),
      );
      for (const group of page.Groups ?? []) if (group.GroupName) current.add(group.GroupName);
      NextToken = page.NextToken;
    } while (NextToken);
    for (const role of roles.filter((r) => !current.has(r))) {
      await this.client.send(new AdminAddUserToGroupCommand({ UserPoolId, Username, GroupName: role }));
    }
    for (const group of [...current].filter((g) => !roles.includes(g))) {
      await this.client.send(new AdminRemoveUserFromGroupCommand({ UserPoolId, Username, GroupName: group }));
    }
  }
}
