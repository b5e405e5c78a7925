package dev.authgate.gate;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

import dev.authgate.support.RealServer;

/** The contract through Caddy (Debian's caddy, forward_auth) running examples/caddy/Caddyfile. */
@QuarkusIntegrationTest
@TestProfile(GateRules.Caddy.class)
@RealServer
class GateCaddyIT extends ProxyContract {

    @Override
    Starter starter() {
        return Proxy::caddy;
    }

    @Override
    Forwarded forwarded() {
        return Forwarded.CADDY;
    }
}
