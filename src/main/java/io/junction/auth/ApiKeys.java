package io.junction.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.junction.config.JunctionConfig;

/**
 * API keys for the HTTP API. Only their SHA-256 is configured, so a leaked configuration does not
 * leak the keys; a presented key is hashed and compared in constant time. A key carries scopes:
 * {@code publish} (POST events), {@code read} (history, presence), {@code admin} (the admin API,
 * and everything else).
 */
@ApplicationScoped
public class ApiKeys {

    public enum Verdict {
        ALLOWED,
        MISSING_OR_UNKNOWN,
        WRONG_SCOPE
    }

    private record Key(String name, byte[] sha256, Set<String> scopes) {
    }

    private final boolean anonymous;
    private final List<Key> keys = new ArrayList<>();

    ApiKeys(JunctionConfig config) {
        this.anonymous = config.auth().anonymous();
        for (Map.Entry<String, JunctionConfig.Auth.ApiKey> e : config.auth().apiKeys().entrySet()) {
            keys.add(new Key(e.getKey(), HexFormat.of().parseHex(e.getValue().sha256().trim().toLowerCase()),
                    Set.copyOf(e.getValue().scopes())));
        }
    }

    /** Checks the key of a request ({@code Authorization: Bearer <key>} or {@code X-Api-Key}) for a scope. */
    public Verdict check(String authorization, String apiKeyHeader, String scope) {
        if (anonymous) {
            return Verdict.ALLOWED;
        }
        String presented = apiKeyHeader != null ? apiKeyHeader
                : authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim()
                        : null;
        if (presented == null || presented.isEmpty()) {
            return Verdict.MISSING_OR_UNKNOWN;
        }
        byte[] hash = sha256(presented);
        for (Key key : keys) {
            if (MessageDigest.isEqual(hash, key.sha256())) {
                return key.scopes().contains(scope) || key.scopes().contains("admin") ? Verdict.ALLOWED : Verdict.WRONG_SCOPE;
            }
        }
        return Verdict.MISSING_OR_UNKNOWN;
    }

    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
