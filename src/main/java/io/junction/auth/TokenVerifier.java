package io.junction.auth;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.junction.bus.ChannelPatterns;
import io.junction.config.JunctionConfig;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Verifies a WebSocket client's JWT with smallrye-jwt, configured the standard way
 * ({@code mp.jwt.verify.publickey.location} for a PEM, JWK or JWKS file or URL;
 * {@code smallrye.jwt.verify.algorithm} RS256/ES256/HS256; {@code mp.jwt.verify.issuer};
 * {@code mp.jwt.verify.audiences}): signature, expiry, issuer and audience. The subject becomes the
 * user; two claims list the channels the holder may subscribe and publish to. The JWKS may be
 * fetched over the network, so this runs on a worker thread.
 */
@ApplicationScoped
public class TokenVerifier {

    private final Instance<JWTParser> parser;
    private final String subscribeClaim;
    private final String publishClaim;

    TokenVerifier(Instance<JWTParser> parser, JunctionConfig config) {
        this.parser = parser;
        this.subscribeClaim = config.auth().subscribeClaim();
        this.publishClaim = config.auth().publishClaim();
    }

    /** The token's identity; throws {@link InvalidTokenException} with a reason safe to show the client. */
    public Identity verify(String token) {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException("a token is required (Authorization: Bearer, or ?token=)");
        }
        JsonWebToken jwt;
        try {
            jwt = parser.get().parse(token);
        } catch (ParseException e) {
            // The parser's message may quote the token; the client gets a fixed reason.
            throw new InvalidTokenException("the token is not valid (signature, expiry, issuer or audience)");
        }
        String sub = jwt.getSubject();
        return new Identity(sub, patterns(jwt, subscribeClaim, sub), patterns(jwt, publishClaim, sub),
                jwt.getExpirationTime() * 1000L);
    }

    private static ChannelPatterns patterns(JsonWebToken jwt, String claim, String sub) {
        Object value = jwt.getClaim(claim);
        List<String> patterns = new ArrayList<>();
        if (value instanceof jakarta.json.JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i) instanceof jakarta.json.JsonString s) {
                    patterns.add(s.getString().replace("{sub}", sub == null ? "" : sub));
                }
            }
        } else if (value instanceof java.util.Collection<?> collection) {
            collection.forEach(v -> patterns.add(String.valueOf(v).replace("\"", "").replace("{sub}", sub == null ? "" : sub)));
        } else if (value != null) {
            patterns.add(String.valueOf(value).replace("\"", "").replace("{sub}", sub == null ? "" : sub));
        }
        return new ChannelPatterns(patterns);
    }

    public static final class InvalidTokenException extends RuntimeException {
        public InvalidTokenException(String message) {
            super(message, null, false, false);
        }
    }
}
