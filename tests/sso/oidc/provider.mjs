// The test OpenID provider: node provider.mjs <port> <redirect uri>...
// One confidential client (houqin / oidc-test-secret) may return to the given addresses. The development
// interactions accept any login: the account id is what was typed, and it comes back as preferred_username
// (the staff or student number) with a name and the campus 东校区, from the userinfo endpoint.
import Provider from 'oidc-provider';

const [port, ...redirectUris] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'houqin',
    client_secret: 'oidc-test-secret',
    redirect_uris: redirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'campus'] },
  async findAccount(ctx, id) {
    return { accountId: id, async claims() { return { sub: id, preferred_username: id, name: `OIDC ${id}`, campus: '东校区' }; } };
  },
  features: { devInteractions: { enabled: true } },
});

provider.listen(Number(port), '127.0.0.1', () => console.log(`oidc provider on ${issuer}`));
