package io.junction.api;

import jakarta.ws.rs.core.Response;

import io.junction.auth.ApiKeys;

/** The answer for a JAX-RS request whose API key does not carry a scope: null when it does. */
public final class ApiKeyGuard {

    private ApiKeyGuard() {
    }

    public static Response refuse(ApiKeys keys, String authorization, String apiKey, String scope) {
        return switch (keys.check(authorization, apiKey, scope)) {
            case ALLOWED -> null;
            case MISSING_OR_UNKNOWN -> Response.status(401).header("WWW-Authenticate", "Bearer").type(Problem.MEDIA_TYPE)
                    .entity(new Problem(401, "unauthorized", "An API key is required",
                            "send a valid API key as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'").toJsonString())
                    .build();
            case WRONG_SCOPE -> Response.status(403).type(Problem.MEDIA_TYPE)
                    .entity(new Problem(403, "forbidden", "Not allowed", "this API key lacks the '" + scope + "' scope")
                            .toJsonString())
                    .build();
        };
    }
}
