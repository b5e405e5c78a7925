// The official Xano JavaScript SDK, unchanged, against Authgate (docs/api.md, "Compatibility target").
// Run by XanoSdkIT during ./mvnw verify; by hand: AUTHGATE_URL=http://localhost:8080 npm test
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, test } from 'node:test';

import { XanoNodeClient } from '@xano/js-sdk';

const baseUrl = `${process.env.AUTHGATE_URL ?? 'http://localhost:8080'}/api:main`;
const email = `sdk-${randomUUID()}@example.com`;
const password = 'correct horse battery';

// A fresh client per use: the SDK keeps its token in the client, and the timeout keeps a hung server from hanging CI.
const client = (authToken) => new XanoNodeClient({ apiGroupBaseUrl: baseUrl, authToken, customAxiosRequestConfig: { timeout: 15000 } });

/** The XanoResponse of a request that must fail: the SDK rejects every non-2xx with an error carrying getResponse(). */
async function failure(request) {
  try {
    await request;
  } catch (e) {
    // Not `instanceof XanoRequestError`: the SDK's ES5 build of `extends Error` yields a plain Error with getResponse added.
    assert.equal(typeof e.getResponse, 'function', `expected an SDK request error, got ${e}`);
    return e.getResponse();
  }
  assert.fail('the request succeeded but should have failed');
}

let token;

before(async () => {
  const body = (await client().post('/auth/signup', { name: 'SDK', email, password })).getBody();
  assert.equal(typeof body.authToken, 'string');
  token = body.authToken;
});

test('signup gives a token that /auth/me accepts', async () => {
  const c = client();
  c.setAuthToken(token);
  const me = (await c.get('/auth/me')).getBody();
  assert.equal(me.email, email);
  assert.equal(me.name, 'SDK');
  assert.equal(typeof me.id, 'number');
  assert.equal(me.password, undefined);
});

test('login gives a working token', async () => {
  const c = client();
  const { authToken } = (await c.post('/auth/login', { email, password })).getBody();
  c.setAuthToken(authToken);
  assert.equal((await c.get('/auth/me')).getBody().email, email);
});

test('a wrong password is 403 Invalid Credentials in the Xano error shape', async () => {
  const res = await failure(client().post('/auth/login', { email, password: 'wrong password' }));
  assert.equal(res.getStatusCode(), 403);
  const { code, message } = res.getBody();
  assert.deepEqual({ code, message }, { code: 'ERROR_CODE_ACCESS_DENIED', message: 'Invalid Credentials.' });
});

test('a second signup with the same email is 403', async () => {
  const res = await failure(client().post('/auth/signup', { name: 'Again', email: email.toUpperCase(), password }));
  assert.equal(res.getStatusCode(), 403);
  assert.equal(res.getBody().code, 'ERROR_CODE_ACCESS_DENIED');
  assert.equal(res.getBody().message, 'This account is already in use.');
});

test('an empty signup is 400 input error, form-encoded or JSON', async () => {
  // post() without params: the SDK sends Content-Type application/x-www-form-urlencoded and no body;
  // post() with {}: application/json and "{}".
  for (const params of [undefined, {}]) {
    const res = await failure(client().post('/auth/signup', params));
    assert.equal(res.getStatusCode(), 400, `params ${JSON.stringify(params)}`);
    assert.equal(res.getBody().code, 'ERROR_CODE_INPUT_ERROR');
    assert.equal(typeof res.getBody().payload?.param, 'string');
  }
});

test('me without a token is 401', async () => {
  const res = await failure(client().get('/auth/me'));
  assert.equal(res.getStatusCode(), 401);
  assert.equal(res.getBody().code, 'ERROR_CODE_UNAUTHORIZED');
});

test('X-Xano-Authorization wins over a garbage Authorization', async () => {
  // The SDK writes Authorization: Bearer <its token> after the per-request headers, so the garbage comes from setAuthToken.
  const c = client('garbage');
  for (const xa of [token, `Bearer ${token}`]) {
    const me = (await c.get('/auth/me', undefined, { 'X-Xano-Authorization': xa })).getBody();
    assert.equal(me.email, email);
  }
});

test('X-Xano-Authorization-Only: true ignores Authorization', async () => {
  const res = await failure(client(token).get('/auth/me', undefined, { 'X-Xano-Authorization-Only': 'true' }));
  assert.equal(res.getStatusCode(), 401);
  assert.equal(res.getBody().code, 'ERROR_CODE_UNAUTHORIZED');
});

test('a garbage token is 401 even on the public login, unless X-Xano-Authorization-Only', async () => {
  const c = client('garbage');
  const res = await failure(c.post('/auth/login', { email, password }));
  assert.equal(res.getStatusCode(), 401);
  assert.equal(res.getBody().code, 'ERROR_CODE_UNAUTHORIZED');

  const ok = await c.post('/auth/login', { email, password }, { 'X-Xano-Authorization-Only': 'true' });
  assert.equal(typeof ok.getBody().authToken, 'string');
});
