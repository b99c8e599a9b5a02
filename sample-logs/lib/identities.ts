/**
 * Credentials over time. An instance profile hands out a new session every
 * six hours (CloudTrail logs the AssumeRole ec2.amazonaws.com makes for it),
 * and a console sign-in gives a user a session key of its own. Both are pure
 * functions of time, so the attacker can reuse exactly the session web-1 had
 * when its credentials were stolen.
 */
import { Rng } from './rng';
import type { RoleSession } from './cloudtrailRecord';
import { BASE_TIME, WEB_ROLE, type Instance, type IamUser } from './world';
import { HOUR, MINUTE } from './timefmt';

export const ROTATION = 6 * HOUR;

function firstRotation(instance: Instance): number {
  return BASE_TIME - HOUR + (instance.privateIp.endsWith('25') ? 12 : 39) * MINUTE;
}

export function rotationIndex(instance: Instance, t: number): number {
  return Math.floor((t - firstRotation(instance)) / ROTATION);
}

export function rotationTime(instance: Instance, index: number): number {
  return firstRotation(instance) + index * ROTATION;
}

export function instanceSessionAt(instance: Instance, index: number): RoleSession {
  return {
    role: WEB_ROLE,
    sessionName: instance.id,
    accessKeyId: `ASIA${new Rng(`instance-credentials/${instance.id}/${index}`).awsId(16)}`,
    creationDate: rotationTime(instance, index),
    ec2: true,
  };
}

export function instanceSession(instance: Instance, t: number): RoleSession {
  return instanceSessionAt(instance, rotationIndex(instance, t));
}

export function consoleSessionKey(user: IamUser | 'root', signedInAt: number): string {
  const name = user === 'root' ? 'root' : user.name;
  return `ASIA${new Rng(`console-session/${name}/${signedInAt}`).awsId(16)}`;
}
