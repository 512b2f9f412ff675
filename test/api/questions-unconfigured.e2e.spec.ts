import { ApiHarness, expectErrorShape } from './api-harness';

/** Issue 12: without any LLM provider the API still runs; questions get 503 and nothing is reserved or stored. */
describe('API questions without an LLM provider', () => {
  const api = new ApiHarness();

  beforeAll(() => api.start({ llm: false }));
  afterAll(() => api.stop());

  it('answers POST /questions with 503, in JSON and with Accept: text/event-stream', async () => {
    const account = await api.account();
    for (const accept of ['application/json', 'text/event-stream']) {
      const res = await api.request('POST', '/questions', { token: account.accessToken, body: { text: 'anyone there?' }, headers: { accept } });
      expectErrorShape(res, 503);
      expect(res.body.message).toBe('no LLM provider is configured');
    }
    expect(await api.prisma!.apiQuestion.count()).toBe(0);
    expect((await api.request('GET', '/questions', { token: account.accessToken })).body).toEqual({ items: [] });
  });
});
