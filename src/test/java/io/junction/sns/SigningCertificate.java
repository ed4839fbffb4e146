package io.junction.sns;

import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

import io.junction.support.Ports;

/**
 * A real RSA key pair and self-signed X.509 certificate made for the test (with the JDK's keytool),
 * and a loopback HTTP server that serves the certificate the way SNS serves its own. Files live under
 * target/, so the application under test and the test (different class loaders) share them.
 */
public final class SigningCertificate {

    static final Path DIR = Path.of("target", "sns-cert");
    static final Path KEYSTORE = DIR.resolve("keystore.p12");
    static final Path CERT = DIR.resolve("cert.pem");
    static final Path PORT = DIR.resolve("port");
    private static HttpServer server;

    private SigningCertificate() {
    }

    /** Makes the key and certificate once, starts the server once; returns the certificate's URL. */
    public static synchronized String serve() {
        try {
            Files.createDirectories(DIR);
            if (!Files.exists(CERT)) {
                keytool("-genkeypair", "-alias", "sns", "-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA",
                        "-dname", "CN=sns.test", "-validity", "2", "-storetype", "PKCS12", "-keystore", KEYSTORE.toString(),
                        "-storepass", "changeit", "-keypass", "changeit");
                keytool("-exportcert", "-rfc", "-alias", "sns", "-keystore", KEYSTORE.toString(), "-storepass", "changeit",
                        "-file", CERT.toString());
            }
            if (server == null) {
                int port = Ports.free();
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
                server.createContext("/cert.pem", exchange -> {
                    byte[] pem = Files.readAllBytes(CERT);
                    exchange.sendResponseHeaders(200, pem.length);
                    exchange.getResponseBody().write(pem);
                    exchange.close();
                });
                server.start();
                Files.writeString(PORT, Integer.toString(port));
            }
            return url();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String url() {
        try {
            return "http://127.0.0.1:" + Files.readString(PORT).trim() + "/cert.pem";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private key that matches the served certificate. */
    public static PrivateKey key() {
        try (FileInputStream in = new FileInputStream(KEYSTORE.toFile())) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, "changeit".toCharArray());
            return (PrivateKey) ks.getKey("sns", "changeit".toCharArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sign(String canonical, String algorithm) {
        return sign(key(), canonical, algorithm);
    }

    public static String sign(PrivateKey key, String canonical, String algorithm) {
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(canonical.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void keytool(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
    }
}
