package dev.authgate.gate;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

import dev.authgate.support.RealServer;

/**
 * The contract through NGINX configured as ingress-nginx renders k8s/examples/ingress-nginx.yaml (proxy_pass_request_headers
 * on, X-Original-URL and X-Original-Method set, every client header passed to the gate), with
 * authgate.gate.forwarded=ingress-nginx. Refusals are ingress-nginx's own error pages with the gate's status.
 */
@QuarkusIntegrationTest
@TestProfile(GateRules.IngressNginx.class)
@RealServer
class GateIngressNginxIT extends ProxyContract {

    @Override
    Starter starter() {
        return Proxy::ingressNginx;
    }

    @Override
    Forwarded forwarded() {
        return Forwarded.INGRESS_NGINX;
    }

    @Override
    boolean errorShape() {
        return false;
    }
}
