package org.medmaas.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OAuth2/OIDC bearer tokens: the accepted ones, and each way a token must be refused. */
class JwtTest {

    @TempDir
    static Path home;

    static ServerFixture f;
    static RSAKey rsa;
    static ECKey ec;

    static final String ISSUER = "https://idp.hospital.example/realms/clinical";
    static final String AUDIENCE = "medmaas";
    static final String BODY = "{\"record\": {\"glucose\": 150, \"bmi\": 33.5, \"smoker\": \"current\"}}";

    @BeforeAll
    static void start() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        Path jwks = home.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString());
        ServerSettings.Jwt jwt = new ServerSettings.Jwt(Optional.of(jwks), Optional.empty(), ISSUER, AUDIENCE, "roles",
                "medmaas_models");
        f = ServerFixture.start(home, ServerSettings.defaults().withJwt(jwt));
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("clinician-42")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).claim("roles", List.of("predictor"));
    }

    static String rs256(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims);
        jwt.sign(new RSASSASigner(rsa));
        return jwt.serialize();
    }

    static int predict(String token) {
        return f.send("POST", "/api/v1/diagnosis/diabetes/predict", Optional.of(token), BODY, "application/json").statusCode();
    }

    @Test
    void rs256AndEs256TokensFromTheProviderAreAccepted() throws Exception {
        assertThat(predict(rs256(claims().build()))).isEqualTo(200);
        SignedJWT es = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(), claims().build());
        es.sign(new ECDSASigner(ec));
        assertThat(predict(es.serialize())).isEqualTo(200);
        // The audit log names the token's subject.
        assertThat(f.get("/api/v1/audit?action=predict&limit=1000", org.medmaas.registry.Role.AUDITOR).body()).contains("jwt:clinician-42");
    }

    @Test
    void expiredNotYetValidWrongAudienceAndWrongIssuerAreRefused() throws Exception {
        Instant now = Instant.now();
        assertThat(predict(rs256(claims().expirationTime(Date.from(now.minusSeconds(600))).build()))).isEqualTo(401);
        assertThat(predict(rs256(claims().notBeforeTime(Date.from(now.plusSeconds(600))).build()))).isEqualTo(401);
        assertThat(predict(rs256(claims().audience("another-api").build()))).isEqualTo(401);
        assertThat(predict(rs256(claims().issuer("https://evil.example").build()))).isEqualTo(401);
        assertThat(predict(rs256(claims().subject(null).build()))).isEqualTo(401);
    }

    @Test
    void unsignedTamperedAndSymmetricTokensAreRefused() throws Exception {
        assertThat(predict(new PlainJWT(claims().build()).serialize())).as("alg none").isEqualTo(401);
        String valid = rs256(claims().build());
        String[] parts = valid.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("clinician-42", "clinician-43");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + parts[2];
        assertThat(predict(tampered)).as("tampered payload").isEqualTo(401);
        // HS256 keyed with the provider's public key: the algorithm-confusion attack.
        SignedJWT confused = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims().build());
        confused.sign(new MACSigner(rsa.toPublicJWK().toRSAPublicKey().getEncoded()));
        assertThat(predict(confused.serialize())).as("HS256 with the public key").isEqualTo(401);
        // Signed by a key the provider never published.
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        SignedJWT foreign = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims().build());
        foreign.sign(new RSASSASigner(stranger));
        assertThat(predict(foreign.serialize())).as("unknown signing key").isEqualTo(401);
        HttpResponse<String> r = f.send("POST", "/api/v1/diagnosis/diabetes/predict", Optional.of("not.a.jwt"), BODY,
                "application/json");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).doesNotContain("not.a.jwt");
    }

    @Test
    void rolesAndModelPatternsComeFromTheTokensClaims() throws Exception {
        assertThat(predict(rs256(claims().claim("roles", List.of()).build()))).as("no role").isEqualTo(403);
        assertThat(predict(rs256(claims().claim("roles", "auditor").build()))).as("auditor may not predict").isEqualTo(403);
        assertThat(predict(rs256(claims().claim("roles", "auditor predictor").build()))).isEqualTo(200);
        assertThat(predict(rs256(claims().claim("medmaas_models", "htn-*").build()))).as("other models only").isEqualTo(403);
    }
}
