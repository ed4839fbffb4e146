package io.junction.support;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A private Debian redis-server on a free loopback port, so a test can stop and restart it at will.
 * scripts/services.sh installs the binary.
 */
public final class RedisServer implements AutoCloseable {

    private final int port = Ports.free();
    private final Path dir;
    private Process process;

    public RedisServer() {
        try {
            dir = Files.createDirectories(Path.of("target", "it-redis", Integer.toString(port)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public RedisServer start() {
        try {
            process = new ProcessBuilder("redis-server", "--bind", "127.0.0.1", "--port", Integer.toString(port), "--save", "",
                    "--appendonly", "no", "--dir", dir.toAbsolutePath().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(dir.toFile(), "redis.log")))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("redis-server is not installed: run scripts/services.sh up", e);
        }
        Deadline.await("redis-server on port " + port + " to accept connections", Duration.ofSeconds(20), this::accepting);
        return this;
    }

    /** Stops Redis the hard way: its data is gone, as after a crash of a Redis without persistence. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Sends one inline command and returns the first line of the answer. */
    public String command(String inline) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = socket.getInputStream().read()) != -1 && c != '\n') {
                line.append((char) c);
            }
            return line.toString().trim();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    private boolean accepting() {
        try {
            return "+PONG".equals(command("PING"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        kill();
    }
}
