package io.junction.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Every Junction setting lives under {@code junction.*}; the defaults are the embedded mode:
 * one pod, an in-memory bus, no Redis and no AWS.
 */
@ConfigMapping(prefix = "junction")
public interface JunctionConfig {

    /** Which bus carries events between pods: {@code memory} (one pod) or {@code redis}. */
    @WithDefault("memory")
    BusKind bus();

    /** This pod's name in {@code welcome.node}; Kubernetes sets HOSTNAME to the pod name. */
    @WithName("node-id")
    Optional<String> nodeId();

    Limits limits();

    History history();

    Redis redis();

    WebSocket websocket();

    Shutdown shutdown();

    /**
     * When a {@code 202} is given: {@code durable} once the event is in Redis (the default with the
     * Redis bus), {@code accepted} once it is in this process's bounded queue (the embedded default).
     */
    @WithName("ack-mode")
    Optional<AckMode> ackMode();

    Sns sns();

    Auth auth();

    Topology topology();

    /**
     * Subscriptions as infrastructure: declared here, made real at start-up (topic, dead-letter
     * queue, queue policies, subscription, then its attributes) and checked afterwards.
     */
    interface Topology {
        /** By subscription name: {@code junction.topology.subscriptions."email-jobs".topic=invitations}. */
        Map<String, SubscriptionSpec> subscriptions();

        @WithDefault("true")
        boolean reconcileOnStart();

        /** {@code required}: not ready until the topology is confirmed; {@code degraded}: ready, reported as degraded. */
        @WithDefault("required")
        String readiness();

        /**
         * How long the reconciler waits for SNS to confirm an http(s) subscription (the confirmation
         * POST must reach a pod's {@code /sns/<name>} and be confirmed with its token).
         */
        @WithDefault("60S")
        Duration confirmTimeout();

        /**
         * SignatureVersion set on topics with http(s) subscriptions: 2 (SHA256withRSA) by default;
         * {@code keep} leaves the topic as it is (emulators without topic attributes).
         */
        @WithDefault("2")
        String signatureVersion();

        interface SubscriptionSpec {
            /** The SNS topic (created when missing). */
            String topic();

            /**
             * {@code sqs} (SNS delivers to a queue) or {@code http}/{@code https} (SNS POSTs to an endpoint,
             * by default Junction's own {@code POST /sns/<name>}).
             */
            @WithDefault("sqs")
            String protocol();

            /**
             * The channel Junction hands each message to, fixed ({@code invitations}) or from the event
             * ({@code team:{data.teamId}}). For http subscriptions to Junction's endpoint it defaults to the
             * subscription's name; an sqs subscription with a channel is consumed by Junction itself.
             */
            Optional<String> channel();

            /**
             * For http(s): where SNS delivers. A path ({@code /sns/<name>} by default) is on Junction and is
             * joined to {@code junction.sns.public-url}; a full URL is another service's endpoint, which must
             * confirm the subscription itself.
             */
            Optional<String> endpoint();

            /** Failed receives of one message before SQS moves it to the dead-letter queue (queue RedrivePolicy). */
            @WithDefault("5")
            int maxReceiveCount();

            /** The target queue; defaults to the subscription's name. */
            Optional<String> queue();

            /** A dead-letter queue for the subscription ({@code <queue>-dlq}), set as its RedrivePolicy. */
            @WithDefault("true")
            boolean dlq();

            @WithDefault("false")
            boolean raw();

            Optional<String> filterPolicy();

            Optional<String> filterPolicyScope();

            Optional<String> deliveryPolicy();
        }
    }

    interface Auth {
        /**
         * No tokens, no keys: anyone who reaches the port may subscribe, publish and administer.
         * The embedded default, for local development only.
         */
        @WithDefault("true")
        boolean anonymous();

        /** Token claim listing the channel patterns the holder may subscribe to ({sub} = the token's subject). */
        @WithDefault("channels")
        String subscribeClaim();

        /** Token claim listing the channel patterns the holder may publish to over the WebSocket. */
        @WithDefault("publish")
        String publishClaim();

        /** API keys for the HTTP API, by name: the SHA-256 (hex) of the key, and its scopes (publish, read, admin). */
        Map<String, ApiKey> apiKeys();

        interface ApiKey {
            String sha256();

            @WithDefault("publish")
            List<String> scopes();
        }
    }

    Outbox outbox();

    enum AckMode {
        durable,
        accepted
    }

    interface Sns {
        /** Publish events that name a topic to Amazon SNS. */
        @WithDefault("false")
        boolean enabled();

        /** The logical topics events may name; a name ending in .fifo is a FIFO topic. */
        Optional<List<String>> topics();

        /** ARN per logical topic ({@code junction.sns.topic-arn."orders.fifo"=arn:...}); see create-topics. */
        @WithName("topic-arn")
        Map<String, String> topicArn();

        /** Create declared topics that have no ARN configured (development and emulators). */
        @WithDefault("false")
        boolean createTopics();

        /**
         * Besides {@code https://sns.<region>.amazonaws.com/}, URL prefixes trusted to serve the
         * certificates that sign SNS messages (emulators only, e.g. http://127.0.0.1:4100/). Their
         * certificates are not held to their validity dates (goaws's expire 5 seconds after it starts).
         */
        Optional<List<String>> trustedCertUrls();

        /**
         * The base URL at which SNS reaches Junction (e.g. https://junction.example.com), needed for
         * http subscriptions to Junction's own {@code /sns/<name>} endpoint.
         */
        Optional<String> publicUrl();
    }

    Sqs sqs();

    /** The consumer of sqs subscriptions that declare a channel. */
    interface Sqs {
        /** Long-poll wait of each receive; an empty queue costs one request per this interval. */
        @WithDefault("20S")
        Duration waitTime();

        /** Visibility timeout of received messages; slow handling extends it before it runs out. */
        @WithDefault("30S")
        Duration visibilityTimeout();

        /** Messages handled at once per subscription; receiving pauses while this many are in hand. */
        @WithDefault("20")
        int maxInFlight();

        /** Visibility of a message whose handling failed, doubled per receive, up to the visibility timeout. */
        @WithDefault("1S")
        Duration retryMin();

        /** How often the depth of every declared dead-letter queue is checked (meter + log line when it grows); 0 turns it off. */
        @WithDefault("60S")
        Duration deadLetterWatch();
    }

    interface Outbox {
        /** Events the embedded (accepted) mode holds for SNS before it answers 503. */
        @WithDefault("10000")
        int memoryCapacity();

        /** How long an entry may stay unacknowledged before another pod takes it over. */
        @WithDefault("30S")
        Duration claimIdle();

        /** First wait before retrying a publish that failed for a passing reason; doubles up to retry-max. */
        @WithDefault("200MS")
        Duration retryMin();

        @WithDefault("30S")
        Duration retryMax();
    }

    interface Shutdown {
        /** How long a stopping pod waits for its sessions to close after sending them 1012. */
        @WithDefault("10S")
        Duration drainTimeout();
    }

    enum BusKind {
        memory,
        redis
    }

    interface Limits {
        /** Largest event envelope, in bytes; 256 KiB is also the SNS message limit. */
        @WithDefault("262144")
        int maxEventBytes();

        /** Most events in one {@code POST /api/events/batch}. */
        @WithDefault("100")
        int maxBatchItems();

        /** Largest batch request body, in bytes. */
        @WithDefault("1048576")
        int maxBatchBytes();
    }

    interface History {
        /** Events kept per channel for {@code since} recovery and the history API; 0 turns history off. */
        @WithDefault("100")
        int size();

        /** How long a kept event stays recoverable. */
        @WithDefault("5M")
        Duration ttl();

        /**
         * Channels that keep no history, as patterns where {@code *} matches any run of characters
         * (e.g. {@code typing:*}). Their events are still numbered and delivered live.
         */
        @WithName("disabled-channels")
        Optional<List<String>> disabledChannels();
    }

    interface Redis {
        /** Prefix of every Redis key and pub/sub channel Junction uses, so several deployments can share a Redis. */
        @WithDefault("junction")
        String keyPrefix();

        /** Shortest wait before reconnecting the pub/sub connection; doubles per failed try. */
        @WithDefault("100MS")
        Duration reconnectMin();

        /** Longest wait between reconnect tries. */
        @WithDefault("5S")
        Duration reconnectMax();

        /** How often a node refreshes its liveness key; presence entries of a node silent for 3 beats expire. */
        @WithDefault("5S")
        Duration heartbeat();
    }

    interface WebSocket {
        /** Interval at which clients should send {@code ping}; sent to them in {@code welcome.heartbeat}. */
        @WithDefault("25S")
        Duration heartbeat();

        /** Whether WebSocket clients may {@code publish}; the auth layer narrows it per token. */
        @WithDefault("true")
        boolean clientPublish();

        /**
         * Bytes waiting to be written to one client before it counts as too slow and is closed with
         * 1013; it never makes the event loop or other clients wait.
         */
        @WithDefault("1048576")
        int maxOutboundBytes();

        /** Channels one connection may subscribe to. */
        @WithDefault("200")
        int maxSubscriptions();

        /** Frames per second a client may send (token bucket refill rate). */
        @WithDefault("50")
        int messageRate();

        /** Frames a client may send in a burst; a client refused this many frames in a row is closed with 1008. */
        @WithDefault("100")
        int messageBurst();

        /** Open WebSocket connections per pod; more are closed with 1013 at once. */
        @WithDefault("20000")
        int maxConnections();

        /**
         * Open connections per client IP (behind a proxy, enable quarkus.http.proxy.proxy-address-forwarding
         * so the client's address is used, not the proxy's); 0 turns the limit off.
         */
        @WithDefault("256")
        int maxConnectionsPerIp();

        /**
         * Origins browsers may connect from (e.g. https://app.example.com); absent: any. Clients that
         * send no Origin header (servers, apps) are not affected.
         */
        Optional<List<String>> allowedOrigins();
    }
}
