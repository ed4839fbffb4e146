package io.junction.bus.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * A Lua script run by its SHA-1, so a call sends only the arguments. A Redis that has not seen the
 * script yet (first call, or a restart) answers NOSCRIPT, and the call is repeated with the source,
 * which also caches it there.
 */
final class RedisScript {

    private final String source;
    private final String sha;

    private RedisScript(String source) {
        this.source = source;
        this.sha = sha1(source);
    }

    /** A script made of the given classpath resources, in order (shared helpers first). */
    static RedisScript load(String... resources) {
        StringBuilder source = new StringBuilder();
        for (String resource : resources) {
            try (InputStream in = RedisScript.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + resource);
                }
                source.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new RedisScript(source.toString());
    }

    /** Runs the script; {@code args} are the keys followed by the arguments, {@code keys} says how many keys. */
    Future<Response> call(Redis redis, int keys, Object... args) {
        return redis.send(request(Command.EVALSHA, sha, keys, args)).recover(failure -> {
            if (String.valueOf(failure.getMessage()).startsWith("NOSCRIPT")) {
                return redis.send(request(Command.EVAL, source, keys, args));
            }
            return Future.failedFuture(failure);
        });
    }

    private static Request request(Command command, String script, int keys, Object[] args) {
        Request request = Request.cmd(command).arg(script).arg(keys);
        for (Object arg : args) {
            if (arg instanceof byte[] bytes) {
                request.arg(bytes);
            } else if (arg instanceof Long n) {
                request.arg(n);
            } else if (arg instanceof Integer n) {
                request.arg(n);
            } else {
                request.arg(String.valueOf(arg));
            }
        }
        return request;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
