/**
 * MITRE ATT&CK Enterprise tactic names by id, as in
 * analyzers/investigations/attack.ts (the renderer reads the engine only
 * through the contract, so the small table is kept here too).
 */
const TACTICS: Readonly<Record<string, string>> = {
  TA0043: 'Reconnaissance',
  TA0042: 'Resource Development',
  TA0001: 'Initial Access',
  TA0002: 'Execution',
  TA0003: 'Persistence',
  TA0004: 'Privilege Escalation',
  TA0005: 'Defense Evasion',
  TA0006: 'Credential Access',
  TA0007: 'Discovery',
  TA0008: 'Lateral Movement',
  TA0009: 'Collection',
  TA0011: 'Command and Control',
  TA0010: 'Exfiltration',
  TA0040: 'Impact',
};

export function tacticName(id: string): string {
  return TACTICS[id] ?? id;
}
