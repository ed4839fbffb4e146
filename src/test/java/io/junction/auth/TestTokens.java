package io.junction.auth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * RS256 tokens for tests, signed with a key pair made here (kept under target/ so the application
 * and the test, which may not share class loaders, read the same one).
 */
public final class TestTokens {

    static final Path DIR = Path.of("target", "auth-test");
    static final Path PUBLIC = DIR.resolve("public.pem");
    static final Path PRIVATE = DIR.resolve("private.der");
    static final String ISSUER = "https://issuer.test";
    static final String AUDIENCE = "junction";

    private TestTokens() {
    }

    static synchronized void ensureKeys() {
        try {
            if (Files.exists(PUBLIC) && Files.exists(PRIVATE)) {
                return;
            }
            Files.createDirectories(DIR);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.write(PRIVATE, pair.getPrivate().getEncoded());
            Files.writeString(PUBLIC, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token for {@code sub} that may subscribe to {@code channels} and publish to {@code publish}. */
    public static String token(String sub, List<String> channels, List<String> publish, long expiresInSeconds) {
        return sign(claims(sub, channels, publish, expiresInSeconds, AUDIENCE), privateKey());
    }

    static JsonObject claims(String sub, List<String> channels, List<String> publish, long expiresInSeconds, String audience) {
        long now = System.currentTimeMillis() / 1000;
        return new JsonObject().put("iss", ISSUER).put("aud", audience).put("sub", sub).put("iat", now)
                .put("exp", now + expiresInSeconds).put("channels", new JsonArray(channels))
                .put("publish", new JsonArray(publish));
    }

    static String sign(JsonObject claims, PrivateKey key) {
        try {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String head = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
            String body = b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update((head + "." + body).getBytes(StandardCharsets.US_ASCII));
            return head + "." + body + "." + b64.encodeToString(rsa.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static PrivateKey privateKey() {
        ensureKeys();
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(PRIVATE)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static PrivateKey otherKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair().getPrivate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
