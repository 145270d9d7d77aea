import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CognitoIdentityDirectory } from '../../functions/adapters/cognito/identity-directory';
import type { Identity } from '../../functions/domain/organisation/identity';

const cognito = mockClient(CognitoIdentityProviderClient);
const directory = new CognitoIdentityDirectory(
  new CognitoIdentityProviderClient({ region: 'eu-west-1' }),
  () => 'pool-1',
);
const notFound = () => new UserNotFoundException({ message: 'User does not exist.', $metadata: {} });

const identity: Identity = {
  tenantId: 'acme',
  userId: 'u1',
  email: 'tech@acme.example',
  name: 'Tech',
  roles: ['service-staff', 'service-manager'],
  enabled: true,
};

beforeEach(() => cognito.reset());

describe('CognitoIdentityDirectory', () => {
  it('creates a missing login named <tenant>.<user> with the tenant attribute and one group per role', async () => {
    cognito.on(AdminGetUserCommand).rejects(notFound());
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [] });

    const outcome = await directory.ensure(identity);

    expect(outcome).toBe('created');
    const create = cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input;
    expect(create).toMatchObject({
      UserPoolId: 'pool-1',
      Username: 'acme.u1',
      DesiredDeliveryMediums: ['EMAIL'],
    });
    expect(create?.UserAttributes).toContainEqual({ Name: 'custom:tenantId', Value: 'acme' });
    expect(
      cognito
        .commandCalls(AdminAddUserToGroupCommand)
        .map((c) => c.args[0].input.GroupName)
        .sort(),
    ).toEqual(['service-manager', 'service-staff']);
  });

  it('brings an existing login in line: attributes, groups added and removed, disabled', async () => {
    cognito.on(AdminGetUserCommand).resolves({
      Username: 'acme.u1',
      Enabled: true,
      UserAttributes: [{ Name: 'custom:tenantId', Value: 'acme' }],
    });
    cognito
      .on(AdminListGroupsForUserCommand)
      .resolves({ Groups: [{ GroupName: 'service-staff' }, { GroupName: 'crm-admin' }] });

    const outcome = await directory.ensure({ ...identity, enabled: false });

    expect(outcome).toBe('updated');
    expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(0);
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)).toHaveLength(1);
    expect(cognito.commandCalls(AdminAddUserToGroupCommand).map((c) => c.args[0].input.GroupName)).toEqual([
      'service-manager',
    ]);
    expect(
      cognito.commandCalls(AdminRemoveUserFromGroupCommand).map((c) => c.args[0].input.GroupName),
    ).toEqual(['crm-admin']);
    expect(cognito.commandCalls(AdminDisableUserCommand)).toHaveLength(1);
  });

  it('never touches a login of another tenant', async () => {
    cognito
      .on(AdminGetUserCommand)
      .resolves({ Username: 'acme.u1', UserAttributes: [{ Name: 'custom:tenantId', Value: 'globex' }] });
    await expect(directory.ensure(identity)).rejects.toThrow(/another tenant/);
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)).toHaveLength(0);
  });

  it('removes a login, and treats a missing one as already removed', async () => {
    cognito.on(AdminDeleteUserCommand).resolvesOnce({}).rejects(notFound());
    expect(await directory.remove('acme', 'u1')).toBe('removed');
    expect(await directory.remove('acme', 'u1')).toBe('absent');
  });
});
