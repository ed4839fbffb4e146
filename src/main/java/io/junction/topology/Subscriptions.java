package io.junction.topology;

import java.util.Optional;

import io.junction.config.JunctionConfig.Topology.SubscriptionSpec;

/** Names and kinds of declared subscriptions, derived in one place for the reconciler, consumer and yard. */
public final class Subscriptions {

    private Subscriptions() {
    }

    public static boolean isHttp(SubscriptionSpec spec) {
        return "http".equals(spec.protocol()) || "https".equals(spec.protocol());
    }

    public static boolean isSqs(SubscriptionSpec spec) {
        return "sqs".equals(spec.protocol());
    }

    /** An http(s) subscription whose endpoint is Junction's own {@code /sns/<name>} (not another service's URL). */
    public static boolean deliversToJunction(SubscriptionSpec spec) {
        return isHttp(spec) && spec.endpoint().map(e -> !isUrl(e)).orElse(true);
    }

    /** An sqs subscription Junction consumes itself, handing its messages to a channel. */
    public static boolean consumedByJunction(SubscriptionSpec spec) {
        return isSqs(spec) && spec.channel().isPresent();
    }

    /** The target queue of an sqs subscription. */
    public static String queue(String name, SubscriptionSpec spec) {
        return spec.queue().orElse(name);
    }

    /** The dead-letter queue: {@code <queue>-dlq} (FIFO: {@code <queue>-dlq.fifo}); {@code <name>-dlq} for http. */
    public static Optional<String> deadLetterQueue(String name, SubscriptionSpec spec) {
        if (!spec.dlq()) {
            return Optional.empty();
        }
        String base = isSqs(spec) ? queue(name, spec) : name;
        return Optional.of(base.endsWith(".fifo") ? base.substring(0, base.length() - 5) + "-dlq.fifo" : base + "-dlq");
    }

    /** The URL SNS posts to: the declared URL, or the declared path (default /sns/<name>) on the public URL. */
    public static String endpointUrl(String name, SubscriptionSpec spec, Optional<String> publicUrl) {
        String endpoint = spec.endpoint().orElse("/sns/" + name);
        if (isUrl(endpoint)) {
            return endpoint;
        }
        String base = publicUrl.orElseThrow(() -> new IllegalStateException(
                "junction.sns.public-url is required for http subscriptions to Junction's own endpoint"));
        return base.replaceAll("/+$", "") + (endpoint.startsWith("/") ? endpoint : "/" + endpoint);
    }

    private static boolean isUrl(String endpoint) {
        return endpoint.startsWith("http://") || endpoint.startsWith("https://");
    }
}
