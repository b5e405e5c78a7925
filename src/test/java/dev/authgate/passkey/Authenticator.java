package dev.authgate.passkey;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.webauthn4j.converter.AttestationObjectConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.AttestationConveyancePreference;
import com.webauthn4j.data.AuthenticatorAssertionResponse;
import com.webauthn4j.data.AuthenticatorAttestationResponse;
import com.webauthn4j.data.AuthenticatorSelectionCriteria;
import com.webauthn4j.data.PublicKeyCredential;
import com.webauthn4j.data.PublicKeyCredentialCreationOptions;
import com.webauthn4j.data.PublicKeyCredentialDescriptor;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialRequestOptions;
import com.webauthn4j.data.PublicKeyCredentialRpEntity;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.PublicKeyCredentialUserEntity;
import com.webauthn4j.data.ResidentKeyRequirement;
import com.webauthn4j.data.UserVerificationRequirement;
import com.webauthn4j.data.attestation.AttestationObject;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.client.ClientDataType;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.data.extension.authenticator.RegistrationExtensionAuthenticatorOutput;
import com.webauthn4j.test.authenticator.webauthn.NoneAttestationAuthenticator;
import com.webauthn4j.test.authenticator.webauthn.WebAuthnAuthenticatorAdaptor;
import com.webauthn4j.test.client.RegistrationEmulationOption;
import com.webauthn4j.test.client.ClientPlatform;

/**
 * A browser with a passkey authenticator, emulated by webauthn4j-test: reads the service's WebAuthn Level 3 JSON
 * options and answers with RegistrationResponseJSON / AuthenticationResponseJSON, as a browser's toJSON() would.
 */
public final class Authenticator {

    public static final String ORIGIN = "http://localhost:3000";

    public final NoneAttestationAuthenticator device = new NoneAttestationAuthenticator();
    /**
     * What the emulated browser asks of the authenticator when signing in, whatever the options say: REQUIRED as a
     * passkey client does; DISCOURAGED makes an assertion without the UV flag, which the service must refuse.
     */
    public UserVerificationRequirement userVerification = UserVerificationRequirement.REQUIRED;
    private final WebAuthnAuthenticatorAdaptor adaptor = new WebAuthnAuthenticatorAdaptor(device);

    ClientPlatform platform(String origin) {
        return new ClientPlatform(new Origin(origin), adaptor);
    }

    /** navigator.credentials.create() from the origin, its answer in JSON form. */
    public Map<String, Object> create(Map<String, Object> publicKey) {
        return create(publicKey, ORIGIN, null);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> create(Map<String, Object> publicKey, String origin, ClientDataType type) {
        Map<String, Object> rp = (Map<String, Object>) publicKey.get("rp");
        Map<String, Object> user = (Map<String, Object>) publicKey.get("user");
        byte[] challenge = dec((String) publicKey.get("challenge"));
        PublicKeyCredentialCreationOptions options = new PublicKeyCredentialCreationOptions(
                new PublicKeyCredentialRpEntity((String) rp.get("id"), (String) rp.get("name")),
                new PublicKeyCredentialUserEntity(dec((String) user.get("id")), (String) user.get("name"),
                        (String) user.get("displayName")),
                new DefaultChallenge(challenge),
                ((List<Map<String, Object>>) publicKey.get("pubKeyCredParams")).stream()
                        .map(p -> new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY,
                                COSEAlgorithmIdentifier.create(((Number) p.get("alg")).longValue()))).toList(),
                ((Number) publicKey.get("timeout")).longValue(),
                descriptors((List<Map<String, Object>>) publicKey.get("excludeCredentials")),
                new AuthenticatorSelectionCriteria(null, true, ResidentKeyRequirement.REQUIRED,
                        UserVerificationRequirement.REQUIRED),
                AttestationConveyancePreference.NONE, null);
        ClientPlatform platform = platform(origin);
        RegistrationEmulationOption option = new RegistrationEmulationOption();
        if (type != null) {
            option.setCollectedClientDataOverrideEnabled(true);
            option.setCollectedClientData(platform.createCollectedClientData(type, new DefaultChallenge(challenge)));
        }
        PublicKeyCredential<AuthenticatorAttestationResponse, ?> c = platform.create(options, option);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("clientDataJSON", enc(c.getResponse().getClientDataJSON()));
        response.put("attestationObject", enc(c.getResponse().getAttestationObject()));
        response.put("transports", List.of("internal"));
        return credential(c.getRawId(), response);
    }

    /** navigator.credentials.get() from the origin, its answer in JSON form. */
    public Map<String, Object> get(Map<String, Object> publicKey) {
        return get(publicKey, ORIGIN);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> get(Map<String, Object> publicKey, String origin) {
        PublicKeyCredentialRequestOptions options = new PublicKeyCredentialRequestOptions(
                new DefaultChallenge(dec((String) publicKey.get("challenge"))),
                ((Number) publicKey.get("timeout")).longValue(), (String) publicKey.get("rpId"),
                descriptors((List<Map<String, Object>>) publicKey.get("allowCredentials")), userVerification, null);
        PublicKeyCredential<AuthenticatorAssertionResponse, ?> c = platform(origin).get(options);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("clientDataJSON", enc(c.getResponse().getClientDataJSON()));
        response.put("authenticatorData", enc(c.getResponse().getAuthenticatorData()));
        response.put("signature", enc(c.getResponse().getSignature()));
        if (c.getResponse().getUserHandle() != null) {
            response.put("userHandle", enc(c.getResponse().getUserHandle()));
        }
        return credential(c.getRawId(), response);
    }

    /**
     * A registration answer whose authenticator data lacks a flag (BIT_UV: not verified; BIT_UP: not present). The
     * emulator always sets both when it makes a credential; attestation "none" signs nothing, so a client could
     * send this. Re-encoded with webauthn4j's own CBOR converter.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> withoutFlag(Map<String, Object> registration, byte flag) {
        var converter = new AttestationObjectConverter(new ObjectConverter());
        Map<String, Object> response = new LinkedHashMap<>((Map<String, Object>) registration.get("response"));
        AttestationObject attestation = converter.convert(dec((String) response.get("attestationObject")));
        AuthenticatorData<RegistrationExtensionAuthenticatorOutput> data = attestation.getAuthenticatorData();
        AuthenticatorData<RegistrationExtensionAuthenticatorOutput> changed = new AuthenticatorData<>(
                data.getRpIdHash(), (byte) (data.getFlags() & ~flag), data.getSignCount(),
                data.getAttestedCredentialData(), data.getExtensions());
        response.put("attestationObject", enc(converter.convertToBytes(
                new AttestationObject(changed, attestation.getAttestationStatement()))));
        Map<String, Object> changedRegistration = new LinkedHashMap<>(registration);
        changedRegistration.put("response", response);
        return changedRegistration;
    }

    private static Map<String, Object> credential(byte[] rawId, Map<String, Object> response) {
        Map<String, Object> credential = new LinkedHashMap<>();
        credential.put("id", enc(rawId));
        credential.put("rawId", enc(rawId));
        credential.put("type", "public-key");
        credential.put("response", response);
        credential.put("clientExtensionResults", Map.of());
        return credential;
    }

    private static List<PublicKeyCredentialDescriptor> descriptors(List<Map<String, Object>> list) {
        return list == null ? null : list.stream().map(d -> new PublicKeyCredentialDescriptor(
                PublicKeyCredentialType.PUBLIC_KEY, dec((String) d.get("id")), null)).toList();
    }

    public static String enc(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static byte[] dec(String s) {
        return Base64.getUrlDecoder().decode(s);
    }
}
