package io.junction.sns;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.junction.config.JunctionConfig;

/**
 * Checks that a message really comes from SNS: the signing certificate is fetched only from
 * {@code https://sns.<region>.amazonaws.com/} (or a prefix trusted in configuration, for emulators)
 * and cached; the signature over the canonical fields verifies with it (SignatureVersion 1:
 * SHA1withRSA, 2: SHA256withRSA); the message is no older than an hour. The AWS SDK's
 * SnsMessageManager does this from SDK 2.42; the amazon-services BOM here brings 2.41, so this is the
 * same check, written against AWS's documented canonical form. Blocking (certificate fetch): call it
 * from a worker thread.
 */
@ApplicationScoped
public class SnsMessageVerifier {

    private static final Pattern AWS_CERT_URL = Pattern.compile("^https://sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/[^?#]+\\.pem$");
    static final Duration MAX_AGE = Duration.ofHours(1);

    private static final int MAX_CERTIFICATES = 64;

    private final List<String> trusted;
    private final Map<String, X509Certificate> certificates = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    SnsMessageVerifier(JunctionConfig config) {
        this.trusted = config.sns().trustedCertUrls().orElse(List.of());
    }

    /** Throws {@link RejectedMessageException} (a 4xx for SNS) unless the message is genuine and fresh. */
    public void verify(JsonNode message) {
        String type = text(message, "Type");
        String version = message.path("SignatureVersion").asText("");
        String signature = text(message, "Signature");
        String certUrl = text(message, "SigningCertURL");
        if (!certUrl.isEmpty() && !AWS_CERT_URL.matcher(certUrl).matches() && trusted.stream().noneMatch(certUrl::startsWith)) {
            throw new RejectedMessageException("the signing certificate is not served by SNS: " + certUrl);
        }
        if (signature.isEmpty() || certUrl.isEmpty()) {
            throw new RejectedMessageException("the message is not signed");
        }
        String algorithm = switch (version) {
            case "1" -> "SHA1withRSA";
            case "2" -> "SHA256withRSA";
            default -> throw new RejectedMessageException("unknown SignatureVersion '" + version + "'");
        };
        boolean valid;
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate(certUrl));
            verifier.update(canonical(type, message).getBytes(StandardCharsets.UTF_8));
            valid = verifier.verify(Base64.getDecoder().decode(signature));
        } catch (RejectedMessageException | CertificateUnavailableException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new RejectedMessageException("the signature is not base64");
        } catch (Exception e) {
            throw new RejectedMessageException("the signature could not be checked: " + e.getClass().getSimpleName());
        }
        if (!valid) {
            throw new RejectedMessageException("the signature does not match the message");
        }
        try {
            Instant sent = Instant.parse(text(message, "Timestamp"));
            if (sent.isBefore(Instant.now().minus(MAX_AGE))) {
                throw new RejectedMessageException("the message is older than " + MAX_AGE.toMinutes() + " minutes");
            }
        } catch (java.time.format.DateTimeParseException e) {
            throw new RejectedMessageException("the message has no valid Timestamp");
        }
    }

    /** The fields SNS signs, in its order, as "name\nvalue\n" pairs. */
    static String canonical(String type, JsonNode m) {
        List<String> fields = "Notification".equals(type)
                ? List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
                : List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type");
        StringBuilder s = new StringBuilder();
        for (String f : fields) {
            JsonNode v = m.get(f);
            if (v == null || v.isNull() || (f.equals("Subject") && v.asText().isEmpty())) {
                if (f.equals("Subject")) {
                    continue;
                }
                throw new RejectedMessageException("the message lacks " + f);
            }
            s.append(f).append('\n').append(v.asText()).append('\n');
        }
        return s.toString();
    }

    private X509Certificate certificate(String url) {
        X509Certificate cached = certificates.get(url);
        if (cached != null) {
            return cached;
        }
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET()
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("certificate answer " + r.statusCode());
            }
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(r.body()));
            if (AWS_CERT_URL.matcher(url).matches()) {
                // Emulators' certificates (trusted by configuration) are not held to their dates: goaws
                // issues one valid for 5 seconds after it starts.
                cert.checkValidity();
            }
            if (certificates.size() >= MAX_CERTIFICATES) {
                certificates.clear(); // SNS uses a handful of certificate URLs; an emulator may use one per message
            }
            certificates.put(url, cert);
            return cert;
        } catch (Exception e) {
            throw new CertificateUnavailableException("the signing certificate could not be fetched: " + e.getMessage());
        }
    }

    private static String text(JsonNode m, String field) {
        return m.path(field).asText("");
    }

    /** The message is not genuine or not acceptable: answer 4xx (SNS will not retry it). */
    public static class RejectedMessageException extends RuntimeException {
        public RejectedMessageException(String message) {
            super(message, null, false, false);
        }
    }

    /** A passing failure on our side: answer 5xx so that SNS retries. */
    public static class CertificateUnavailableException extends RuntimeException {
        public CertificateUnavailableException(String message) {
            super(message, null, false, false);
        }
    }
}
