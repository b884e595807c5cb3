import { describe, expect, it } from 'vitest';
import { copiedModes, decidingHall, hallByAddress, nearestHandling, type NetHall } from './level-rules.js';
import type { HandlingMode } from './schemas.js';

// 随县 (C) with townships 万和镇 (T1: stations V1, V2) and 殷店镇 (T2: station V3).
const H = (id: string, parentId: string | null, level: string, name: string, address: string): NetHall => ({ id, parentId, code: id, name, level, address });
const net = [
  H('C', null, 'county', '随县政务服务中心', '随县厉山镇神农大道 1 号'),
  H('T1', 'C', 'township', '万和镇为民服务中心', '随县万和镇人民路 8 号'),
  H('V1', 'T1', 'village', '一村便民服务站', '随县万和镇一村村委会'),
  H('V2', 'T1', 'village', '二村便民服务站', '随县万和镇二村村委会'),
  H('T2', 'C', 'township', '殷店镇为民服务中心', '随县殷店镇新街 2 号'),
  H('V3', 'T2', 'village', '三村便民服务站', '随县殷店镇三村'),
];
const byId = new Map(net.map((h) => [h.id, h]));
const modes = (entries: [string, HandlingMode][]) => new Map<string, HandlingMode>([['C', 'decide'], ...entries]);

describe('the catalogue per level', () => {
  it('sends a case taken in at a station to the nearest hall above that decides the item', () => {
    expect(decidingHall(byId, modes([['V1', 'forward'], ['T1', 'forward']]), 'V1')?.code).toBe('C');
    expect(decidingHall(byId, modes([['V1', 'forward'], ['T1', 'decide']]), 'V1')?.code).toBe('T1');
    expect(decidingHall(byId, modes([['V1', 'decide']]), 'V1')?.code).toBe('V1');
  });

  it('finds the nearest hall that takes the item in: the visitor’s own, a neighbouring station before the county, never a hall that only guides', () => {
    const m = modes([['V1', 'guide'], ['V2', 'forward'], ['T1', 'forward'], ['V3', 'forward']]);
    expect(nearestHandling(net, m, 'V3')?.code).toBe('V3');
    // V1 only guides: its township is one step away.
    expect(nearestHandling(net, m, 'V1')?.code).toBe('T1');
    // Without the township, the neighbouring station V2 and the county are both two steps away: the station first.
    expect(nearestHandling(net, modes([['V1', 'guide'], ['V2', 'forward']]), 'V1')?.code).toBe('V2');
    expect(nearestHandling(net, modes([]), 'V3')?.code).toBe('C');
    expect(nearestHandling(net, new Map(), 'V3')).toBeNull();
  });

  it('matches a typed address to the hall it names, the township when it names only the township', () => {
    expect(hallByAddress(net, '万和镇一村 3 组')?.code).toBe('V1');
    expect(hallByAddress(net, '殷店镇三村')?.code).toBe('V3');
    expect(hallByAddress(net, '万和镇')?.code).toBe('T1');
    expect(hallByAddress(net, '北京')).toBeNull();
  });

  it('copies the parent’s list: what the parent decides (its own items too) is taken in and forwarded, the rest as the parent does', () => {
    const copied = copiedModes(new Map<string, HandlingMode>([['s1', 'decide'], ['s2', 'guide'], ['s4', 'forward']]), ['s3']);
    expect(Object.fromEntries(copied)).toEqual({ s1: 'forward', s2: 'guide', s3: 'forward', s4: 'forward' });
  });
});
