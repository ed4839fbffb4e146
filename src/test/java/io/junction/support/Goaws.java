package io.junction.support;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * goaws, an SNS/SQS emulator that (unlike moto) POSTs a real SubscriptionConfirmation to http
 * endpoints, signed with an RSA key whose certificate it serves: the flow a Junction http subscription
 * needs. Installed by scripts/tools.sh into target/tools/goaws; started once per test JVM (the port is
 * kept in a file because the test and the application under test load this class separately).
 */
public final class Goaws {

    private static final Path DIR = Path.of("target", "goaws");
    private static final Path PORT = DIR.resolve("port");

    private Goaws() {
    }

    /** The emulator's endpoint (http://127.0.0.1:port), started if it is not running. */
    public static synchronized String endpoint() {
        try {
            if (Files.exists(PORT)) {
                int port = Integer.parseInt(Files.readString(PORT).trim());
                if (listening(port)) {
                    return "http://127.0.0.1:" + port;
                }
            }
            Path binary = Path.of(System.getenv().getOrDefault("JUNCTION_TEST_GOAWS", "target/tools/goaws"));
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException(binary + " is missing: run scripts/tools.sh (or scripts/test.sh)");
            }
            int port = Ports.free();
            Files.createDirectories(DIR);
            Path config = DIR.resolve("goaws.yaml");
            Files.writeString(config, """
                    Local:
                      Host: 127.0.0.1
                      Port: %d
                      Region: us-east-1
                      AccountId: "100010001000"
                      LogToFile: false
                      QueueAttributeDefaults:
                        VisibilityTimeout: 30
                        ReceiveMessageWaitTimeSeconds: 0
                    """.formatted(port));
            Process process = new ProcessBuilder(binary.toString(), "-config", config.toString(), "Local").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(DIR.resolve("goaws.log").toString()))).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            Deadline.await("goaws to listen on " + port, Duration.ofSeconds(20), () -> listening(port));
            Files.writeString(PORT, Integer.toString(port));
            return "http://127.0.0.1:" + port;
        } catch (Exception e) {
            throw new IllegalStateException("goaws could not be started", e);
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
