package dev.authgate.gate;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

import dev.authgate.support.RealServer;

/** The contract through NGINX (Debian's nginx-light, auth_request) running examples/nginx/nginx.conf. */
@QuarkusIntegrationTest
@TestProfile(GateRules.class)
@RealServer
class GateNginxIT extends ProxyContract {

    @Override
    Starter starter() {
        return Proxy::nginx;
    }

    @Override
    Forwarded forwarded() {
        return Forwarded.NGINX;
    }
}
