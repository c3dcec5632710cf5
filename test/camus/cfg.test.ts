import { formatCfg, parseCfg } from '../../nodes/camus/cfg';

describe('Info_{2CH,4CH}.cfg', () => {
  it('parses the 2023 release keys and keeps unknown ones', () => {
    const info = parseCfg('ED: 1\nES: 13\nNbFrame: 13\nSex: F\nAge: 62\nImageQuality: Medium\nEF: 46\nFrameRate: 33\nProbe: X5-1\n', 'Info_2CH.cfg');
    expect(info).toMatchObject({ ed: 1, es: 13, nbFrame: 13, sex: 'F', age: 62, quality: 'Medium', ef: 46, frameRate: 33 });
    expect(info.values.get('Probe')).toBe('X5-1');
  });

  it('reads the original release LVef as the ejection fraction, with CRLF lines', () => {
    const info = parseCfg('ED: 1\r\nES: 15\r\nNbFrame: 15\r\nImageQuality: Poor\r\nLVedv: 88.7\r\nLVesv: 40.2\r\nLVef: 54.7\r\n', 'Info_4CH.cfg');
    expect(info.ef).toBe(54.7);
    expect(info.quality).toBe('Poor');
    expect(info.values.get('LVedv')).toBe('88.7');
  });

  it('reports a malformed line with file:line', () => {
    expect(() => parseCfg('ED: 1\nES 13\n', 'p/Info_2CH.cfg')).toThrow('p/Info_2CH.cfg:2: malformed line "ES 13" — expected "Key: value"');
  });

  it('reports a non-numeric value with file:line', () => {
    expect(() => parseCfg('ED: 1\nES: 13\nEF: fifty\n', 'p/Info_4CH.cfg')).toThrow('p/Info_4CH.cfg:3: EF should be a number, got "fifty"');
    expect(() => parseCfg('ED: 1.5\n', 'p/Info_4CH.cfg')).toThrow('p/Info_4CH.cfg:1: ED should be an integer, got "1.5"');
  });

  it('refuses an unknown image quality', () => {
    expect(() => parseCfg('ImageQuality: Great\n', 'q.cfg')).toThrow('q.cfg:1: ImageQuality should be Good, Medium or Poor, got "Great"');
  });

  it('writes what it reads', () => {
    const text = formatCfg([
      ['ED', 1],
      ['ES', 12],
      ['ImageQuality', 'Good'],
    ]);
    expect(text).toBe('ED: 1\nES: 12\nImageQuality: Good\n');
    expect(parseCfg(text, 'x.cfg').es).toBe(12);
  });
});
