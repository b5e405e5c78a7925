package dev.authgate.passkey;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * webauthn4j's data classes that its own Jackson-based ObjectConverter reads and writes reflectively (the JSON of
 * registration and authentication responses, clientDataJSON, the CBOR attestation object): registered for reflection
 * here so that the native executable parses them as the JVM does.
 */
@RegisterForReflection(targets = {
        com.webauthn4j.data.PublicKeyCredential.class,
        com.webauthn4j.data.AuthenticatorResponse.class,
        com.webauthn4j.data.AuthenticatorAttestationResponse.class,
        com.webauthn4j.data.AuthenticatorAssertionResponse.class,
        com.webauthn4j.data.AuthenticatorTransport.class,
        com.webauthn4j.data.client.CollectedClientData.class,
        com.webauthn4j.data.client.ClientDataType.class,
        com.webauthn4j.data.client.TokenBinding.class,
        com.webauthn4j.data.client.TokenBindingStatus.class,
        com.webauthn4j.data.client.challenge.DefaultChallenge.class,
        com.webauthn4j.data.attestation.AttestationObject.class,
        com.webauthn4j.data.attestation.statement.NoneAttestationStatement.class,
        com.webauthn4j.data.attestation.authenticator.AuthenticatorData.class,
        com.webauthn4j.data.attestation.authenticator.AttestedCredentialData.class,
        com.webauthn4j.data.extension.client.AuthenticationExtensionsClientOutputs.class,
        com.webauthn4j.data.extension.authenticator.AuthenticationExtensionsAuthenticatorOutputs.class })
final class WebAuthnClasses {

    private WebAuthnClasses() {
    }
}
