import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { FUNCTION_ENV } from '../config/function-environment';
import type { AsyncFunction } from './async-function';
import type { ServiceFunction } from './service-function';

/**
 * The one sender of the service's mail in a region, `service@<mailDomain>`.
 * Functions send through SES as that domain identity and only as it. Holds no
 * resources: the identity is verified outside the stacks.
 */
export class MailSender {
  readonly address: string;
  private readonly sendAsMailDomain: iam.PolicyStatement;

  constructor(scope: Construct, mailDomain: string) {
    this.address = `service@${mailDomain}`;
    this.sendAsMailDomain = new iam.PolicyStatement({
      actions: ['ses:SendRawEmail'],
      resources: [
        Stack.of(scope).formatArn({ service: 'ses', resource: 'identity', resourceName: mailDomain }),
      ],
    });
  }

  /** Sets MAIL_FROM and lets the function send raw mail as the mail domain identity. */
  allowSending(fn: ServiceFunction | AsyncFunction): void {
    this.nameSender(fn);
    fn.role.addToPrincipalPolicy(this.sendAsMailDomain);
  }

  /** Sets MAIL_FROM only: for a function that writes the sender into mail it leaves to others to send. */
  nameSender(fn: ServiceFunction | AsyncFunction): void {
    fn.function.addEnvironment(FUNCTION_ENV.MAIL_FROM, this.address);
  }
}
