import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main, runScenario } from '../../src/simulator/cli';
import { loadScenarios } from '../../src/simulator/scenarios/registry';
import { findScenario, runScenario as runScenarioObject, UnknownScenarioError } from '../../src/simulator/scenarios/run';

const OFFICE = '+15551230001';
const HOME = '+15551230002';
const CELL = '+15551230003';

/** `npm run simulate`: named scenarios played against the real app (DESIGN §8). */
describe('npm run simulate', () => {
  it('plays John’s example: after 1:40 of ringing office, home and cell, the caller leaves a voicemail the app stores', async () => {
    const result = await runScenario('john');

    expect(result.outcome).toMatchObject({ kind: 'voicemail' });
    const [recording] = result.recordings;
    expect((recording.startedAt - result.startedAt) / 1000).toBeGreaterThanOrEqual(100);
    const rang = result.legs.map((l) => [l.target, (l.startedAt - result.startedAt) / 1000, ((l.endedAt ?? NaN) - result.startedAt) / 1000]);
    expect(rang).toEqual([[OFFICE, 0, 40], [HOME, 40, 70], [CELL, 70, 100], ['client:john', 70, 100]]);
    expect(result.voicemails).toEqual([expect.objectContaining({ id: recording.sid, from: '+15557654321', to: '+15550001000' })]);
    expect(result.timeline).toMatch(/0:40\s+Home \(\+15551230002\)\s+ringing/);
    expect(result.timeline).toMatch(/1:40\s+Cell \(\+15551230003\)\s+no-answer/);
    expect(result.summary).toMatch(/voicemail at 1:4\d/);
  });

  it('offers the Follow Me scenarios by name', () => {
    expect([...loadScenarios().keys()]).toEqual(expect.arrayContaining([
      'john', 'john-home-answers', 'simulring', 'carrier-voicemail', 'carrier-voicemail-confirm', 'busy',
    ]));
  });

  it.each([...loadScenarios().keys()])('scenario %s plays to its end without an application error', async (name) => {
    const result = await runScenario(name);
    expect(result.outcome).toBeDefined();
    expect(result.entries.some((e) => e.event === 'application-error' || e.event === 'callback-error')).toBe(false);
  });

  it('each scenario ends where its description says', async () => {
    const outcomes = await Promise.all(
      ['john-home-answers', 'simulring', 'carrier-voicemail', 'carrier-voicemail-confirm', 'busy'].map(async (name) => (await runScenario(name)).outcome),
    );
    expect(outcomes).toEqual([
      expect.objectContaining({ kind: 'connected', to: HOME, answeredBy: 'human' }),
      expect.objectContaining({ kind: 'connected', to: 'client:john' }),
      expect.objectContaining({ kind: 'connected', to: CELL, answeredBy: 'machine' }),
      expect.objectContaining({ kind: 'connected', to: OFFICE, answeredBy: 'human' }),
      expect.objectContaining({ kind: 'connected', to: HOME }),
    ]);
  });

  it('an unknown scenario name is an error naming it', async () => {
    await expect(runScenario('no-such-story')).rejects.toThrow(UnknownScenarioError);
  });

  it('scenario files added next to the others are picked up (e.g. Extend Ring ones); a duplicate name is refused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scenarios-'));
    const story = (name: string) => `{ name: '${name}', description: 'd', user: { name: 'A', numbers: ['+15550001000'] }, rules: [], callees: {}, caller: { from: '+15557654321' } }`;
    fs.writeFileSync(path.join(dir, 'extend-ring.js'), `exports.scenarios = [${story('hold')}];`);
    fs.writeFileSync(path.join(dir, 'more.js'), `exports.scenario = ${story('more')};`);
    fs.writeFileSync(path.join(dir, 'types.js'), 'throw new Error("machinery is not loaded");');
    expect([...loadScenarios(dir).keys()]).toEqual(['hold', 'more']);
    fs.writeFileSync(path.join(dir, 'twice.js'), `exports.scenario = ${story('hold')};`);
    expect(() => loadScenarios(dir)).toThrow(/"hold" is defined twice/);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('the simulate command line', () => {
  let out: string;
  let err: string;
  beforeEach(() => {
    out = '';
    err = '';
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  });
  afterEach(() => jest.restoreAllMocks());

  it('--list prints every scenario with its one-line description', async () => {
    expect(await main(['--list'])).toBe(0);
    expect(out).toMatch(/^\s+john\s+John’s example/m);
    expect(out).toMatch(/^\s+carrier-voicemail-confirm\s+\S/m);
  });

  it('an unknown name prints the list and exits with 2', async () => {
    expect(await main(['nope'])).toBe(2);
    expect(err).toMatch(/Unknown scenario "nope"/);
    expect(err).toMatch(/^\s+busy\s+/m);
  });

  it('an option it does not know (a typo of --verbose) is named, with the usage, and exits with 2 without playing', async () => {
    expect(await main(['john', '--verbos'])).toBe(2);
    expect(err).toMatch(/^unknown option --verbos\nusage: npm run simulate -- <scenario>/);
    expect(out).toBe('');
  });

  it('--logs prints the app\'s JSON log lines (info, or the level named) on stderr, to see what the app did and why', async () => {
    expect(await main(['extend-ring', '--logs'])).toBe(0);
    const lines = err.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(lines.some((line) => line.msg === 'extend ring: step placed')).toBe(true);
    expect(Math.min(...lines.map((line) => line.level))).toBe(30);
    expect(out).toMatch(/^Outcome: /m);
    expect(await main(['extend-ring', '--logs=loud'])).toBe(2);
    expect(err).toMatch(/--logs=loud: .*debug/);
  });

  it('--verbose shows the whole whisper a phone hears, its last choice included', async () => {
    expect(await main(['extend-ring-home-accepts', '--verbose'])).toBe(0);
    expect(out).toContain('press 2 to send the caller to voicemail.”');
  });

  it('without --logs the app logs nothing', async () => {
    expect(await main(['extend-ring'])).toBe(0);
    expect(err).toBe('');
  });

  it('a caller who left a callback number is reported as such, with the number stored for the owner', async () => {
    expect(await main(['extend-ring-callback'])).toBe(0);
    expect(out).toMatch(/^Outcome: the caller left a callback number \(5551234567\)/m);
    expect(out).toMatch(/^Stored for John: 0 voicemails, 1 callback request \(5551234567\)$/m);
  });

  it('a caller who hung up on hold shows as a missed call in the owner’s call log', async () => {
    expect(await main(['extend-ring-hangup'])).toBe(0);
    expect(out).toMatch(/^Outcome: the caller hung up before anyone answered$/m);
    expect(out).toMatch(/^Stored for John: 0 voicemails, 1 missed call in the call log$/m);
  });

  it('the timeline names webhook paths without the app’s origin and leaves out the silent rounds of hold music', async () => {
    expect(await main(['carrier-voicemail-confirm'])).toBe(0);
    expect(out).toMatch(/0:15\s+Cell \(\+15551230003\)\s+whisper  plays \/voice\/follow-me\/whisper$/m);
    expect(out).not.toContain('http://');
    out = '';
    expect(await main(['extend-ring'])).toBe(0);
    expect(out).toMatch(/3:00\s+Customer \(\+15557654321\)\s+redirected  to \/voice\/voicemail$/m);
    expect(out).not.toMatch(/Customer.*gather-no-input/);
  });

  it('a scenario prints its timeline and where the caller ended up', async () => {
    expect(await main(['john-home-answers'])).toBe(0);
    expect(out).toMatch(/0:50\s+Home \(\+15551230002\)\s+answered/);
    expect(out).toMatch(/^Outcome: connected to Home \(\+15551230002\) at 0:50$/m);
  });
});

describe('npm run simulate: a caller who leaves no message', () => {
  it('hanging up at the voicemail greeting is reported as a missed call', async () => {
    const john = findScenario('john');
    // office 40 s + home 30 s + cell and app 30 s: voicemail at 1:40; the caller hangs up during the greeting
    const result = await runScenarioObject({ ...john, name: 'john-hangs-up-at-greeting', caller: { ...john.caller, hangUpAfter: 103 } });
    expect(result.voicemails).toEqual([]);
    expect(result.calls.map((c) => c.outcome)).toEqual(['missed']);
  });

  it('staying silent after the beep is reported as a missed call', async () => {
    const john = findScenario('john');
    const result = await runScenarioObject({ ...john, name: 'john-silent', caller: { ...john.caller, message: 'none' } });
    expect(result.voicemails).toEqual([]);
    expect(result.calls.map((c) => c.outcome)).toEqual(['missed']);
  });
});
