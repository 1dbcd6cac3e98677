import { parseForm } from '../../src/simulator/rest/form';
import { routeMatcher, type RestRoute } from '../../src/simulator/rest/router';

const ok = () => ({ status: 200 });
const routes: RestRoute[] = [
  { method: 'POST', path: '/Calls.json', handle: ok },
  { method: 'GET', path: '/Calls/:sid.json', handle: ok },
  { method: 'POST', path: '/Calls/:sid.json', handle: ok },
  { method: 'GET', path: '/Queues/:sid/Members/:callSid.json', handle: ok },
];
const match = routeMatcher(routes);

describe('the emulator REST API routes', () => {
  it('a request reaches the route of its method and path, with the path parameters', () => {
    expect(match('POST', '/Calls.json')?.route).toBe(routes[0]);
    expect(match('GET', '/Calls/CA123.json')).toEqual({ route: routes[1], params: { sid: 'CA123' } });
    expect(match('POST', '/Calls/CA123.json')?.route).toBe(routes[2]);
    expect(match('GET', '/Queues/QU1/Members/Front.json')?.params).toEqual({ sid: 'QU1', callSid: 'Front' });
  });

  it('a HEAD request is answered by the GET route', () => {
    expect(match('HEAD', '/Calls/CA123.json')?.route).toBe(routes[1]);
  });

  it('an unknown path or method has no route; a parameter never spans two path segments', () => {
    expect(match('GET', '/Calls.json')).toBeUndefined();
    expect(match('DELETE', '/Calls/CA123.json')).toBeUndefined();
    expect(match('GET', '/Calls/CA1/Recordings.json')).toBeUndefined();
    expect(match('GET', '/Conferences.json')).toBeUndefined();
  });

  it('parameters are percent-decoded; a malformed escape names no resource', () => {
    expect(match('GET', '/Calls/CA%31.json')?.params).toEqual({ sid: 'CA1' });
    expect(match('GET', '/Calls/CA%E0%A4%A.json')).toBeUndefined();
  });
});

describe('form parameters', () => {
  it('a repeated key gives every value in order; + and percent escapes decode', () => {
    expect({ ...parseForm('StatusCallbackEvent=initiated&StatusCallbackEvent=completed&To=%2B15551230001&Say=hello+there') }).toEqual({
      StatusCallbackEvent: ['initiated', 'completed'], To: '+15551230001', Say: 'hello there',
    });
  });

  it('an empty body has no parameters', () => {
    expect({ ...parseForm('') }).toEqual({});
  });
});
