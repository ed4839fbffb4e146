package io.junction.support;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged Junction ({@code target/quarkus-app/quarkus-run.jar}) started as its own process,
 * the way a user runs it: for tests that need several nodes, a kill, or the real artifact.
 */
public final class JunctionProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port = Ports.free();
    private final Map<String, String> env;
    private final Path log;
    private List<String> jvmOptions = List.of("-Xmx256m");
    private long startedAtNanos;
    private long readyAfterMillis;
    private Process process;

    public JunctionProcess(String name, Map<String, String> env) {
        this.name = name;
        this.env = env;
        this.log = Path.of("target", "it-logs", name + "-" + port + ".log");
    }

    /** JVM options for the process (default {@code -Xmx256m}). */
    public JunctionProcess jvmOptions(List<String> options) {
        this.jvmOptions = List.copyOf(options);
        return this;
    }

    public JunctionProcess start() {
        try {
            Files.createDirectories(log.getParent());
            List<String> command = new ArrayList<>();
            // Under -Dnative, Failsafe names the native executable: the same tests then run against it.
            String nativeImage = System.getProperty("native.image.path");
            if (nativeImage != null && Files.isExecutable(Path.of(nativeImage))) {
                command.add(nativeImage);
            } else {
                Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
                if (!Files.exists(jar)) {
                    throw new IllegalStateException(jar + " is missing: integration tests run after 'package'");
                }
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.addAll(jvmOptions);
                command.addAll(List.of("-jar", jar.toString()));
            }
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(log.toString())));
            builder.environment().putAll(env);
            builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
            builder.environment().put("JUNCTION_NODE_ID", name);
            startedAtNanos = System.nanoTime();
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Deadline.await(name + " to become ready (log: " + log + ")", Duration.ofSeconds(60), () -> {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + "; see " + log);
            }
            return status("/q/health/ready") == 200;
        });
        readyAfterMillis = (System.nanoTime() - startedAtNanos) / 1_000_000;
        return this;
    }

    /** Time from process start to the first ready answer, as the poller saw it (50 ms resolution). */
    public long readyAfterMillis() {
        return readyAfterMillis;
    }

    public int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(http(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(http(path)).GET());
    }

    public HttpResponse<String> post(String path, String json) {
        return send(HttpRequest.newBuilder(http(path)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(http(path)).DELETE());
    }

    /** The process's log so far (what an operator would see). */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI http(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public URI ws() {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM, as Kubernetes stops a pod; waits for the exit. */
    public int terminate(Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Sends SIGTERM and returns at once. */
    public void signalTerminate() {
        process.destroy();
    }

    /** Waits for the process to exit; returns its exit code, or -1 if it is still running after {@code timeout}. */
    public int awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** SIGKILL: the process gets no chance to finish anything. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
