/** Addresses for the crowd: shoppers, crawlers, internet scanners. */
import type { Rng } from './rng';

/**
 * First octets of ordinary unicast space. Private, loopback, link-local,
 * carrier-grade NAT, multicast and the documentation ranges (which the story
 * keeps for the office, CI and the attacker) are never drawn.
 */
const FIRST_OCTETS = [
  2, 5, 24, 31, 37, 46, 47, 50, 62, 64, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82,
  83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 104, 107, 108, 109, 136, 142, 146, 151,
  154, 162, 166, 173, 174, 176, 178, 184, 185, 188, 189, 190, 201, 209, 212, 213, 217,
];

export function publicClientIp(rng: Rng): string {
  return `${rng.pick(FIRST_OCTETS)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

export function ephemeralPort(rng: Rng): number {
  return rng.int(32768, 60999);
}

export const GOOGLEBOT_IPS = ['66.249.66.1', '66.249.66.75', '66.249.79.102'];
export const BINGBOT_IPS = ['157.55.39.12', '207.46.13.90'];
/** S3 and Systems Manager endpoints in us-east-1, as the web servers reach them. */
export const S3_ENDPOINT_IPS = ['52.216.57.190', '52.217.128.42', '3.5.29.117', '54.231.200.65'];
export const SSM_ENDPOINT_IPS = ['52.46.145.220', '52.94.233.131', '52.119.226.48'];
