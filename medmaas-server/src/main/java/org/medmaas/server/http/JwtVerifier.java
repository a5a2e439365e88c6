package org.medmaas.server.http;

import org.medmaas.server.ServerSettings;

import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.registry.Role;

/**
 * OAuth2/OIDC bearer tokens (JWTs) from an identity provider, verified with nimbus-jose-jwt:
 * signed with RS256 or ES256 by a key in the provider's JWKS (a file, or a URL fetched and cached
 * by Nimbus), issued by the configured issuer for the configured audience, within its
 * {@code exp}/{@code nbf} window (60 s of clock skew). Unsigned tokens ({@code alg: none}) and
 * symmetric algorithms (HS256 keyed with a public key, the classic confusion attack) are refused
 * because only RS256 and ES256 are accepted. The token's role claim names MedMaaS roles; its
 * models claim (optional) limits the models, as an API key's pattern does.
 */
public final class JwtVerifier {

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final ServerSettings.Jwt settings;

    public JwtVerifier(ServerSettings.Jwt settings) {
        this.settings = settings;
        JWKSource<SecurityContext> keys;
        try {
            keys = settings.jwksFile().isPresent() ? new ImmutableJWKSet<>(JWKSet.load(settings.jwksFile().get().toFile()))
                    : JWKSourceBuilder.create(settings.jwksUrl().orElseThrow().toURL()).build();
        } catch (IOException | ParseException e) {
            throw MedmaasException.invalid("Could not read the JWKS for bearer tokens: " + e.getMessage());
        }
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(settings.audience(),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(), Set.of("sub", "exp")));
    }

    /** The caller a token speaks for, or a 401 refusal naming what is wrong (never the token). */
    public Call.Caller verify(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new MedmaasException(ErrorCode.UNAUTHENTICATED, "The bearer token is neither an API key nor a well-formed JWT.");
        } catch (BadJOSEException e) {
            throw new MedmaasException(ErrorCode.UNAUTHENTICATED, "The bearer token was refused: " + e.getMessage());
        } catch (JOSEException e) {
            throw new MedmaasException(ErrorCode.UNAUTHENTICATED, "The bearer token could not be verified: " + e.getMessage());
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String value : values(claims, settings.roleClaim())) {
            for (Role r : Role.values()) {
                if (r.label().equals(value)) {
                    roles.add(r);
                }
            }
        }
        String models = values(claims, settings.modelsClaim()).stream().findFirst().orElse("*");
        if (!models.matches("[a-z0-9*_-]{1,200}")) {
            throw new MedmaasException(ErrorCode.UNAUTHENTICATED, "The token's '" + settings.modelsClaim() + "' claim is not a model pattern.");
        }
        String subject = claims.getSubject().length() > 80 ? claims.getSubject().substring(0, 80) : claims.getSubject();
        return new Call.Caller("jwt:" + subject, roles, models);
    }

    private static List<String> values(JWTClaimsSet claims, String name) {
        Object v = claims.getClaim(name);
        if (v instanceof String s) {
            return List.of(s.split(" "));
        }
        if (v instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    public static Optional<java.net.URI> uri(String text) {
        try {
            java.net.URI u = java.net.URI.create(text);
            u.toURL();
            return Optional.of(u);
        } catch (IllegalArgumentException | MalformedURLException e) {
            throw MedmaasException.invalid("'jwt.jwks_url' is not a URL.");
        }
    }
}
