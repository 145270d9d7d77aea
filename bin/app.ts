import { App } from 'aws-cdk-lib';
import { buildApp } from '../lib/app';
import { readAppConfig } from '../lib/config/app-config';

const app = new App();
const config = readAppConfig((key) => app.node.tryGetContext(key), process.env.CDK_DEFAULT_ACCOUNT);
buildApp(app, config);
app.synth();
