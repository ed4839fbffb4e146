package io.junction.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import io.junction.config.JunctionConfig;
import io.junction.sns.SnsPublisher;
import io.junction.sns.SnsPublisher.Result;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Moves acknowledged events from the outbox to SNS, on a thread of its own: takes entries, groups
 * them by topic into batches of at most 10 entries and 256 KiB, publishes, and then forgets what
 * SNS confirmed, retries what failed for a passing reason (exponential backoff with jitter) and
 * moves what SNS refused for good to the dead letters. For a FIFO topic a failed entry holds back
 * the rest of its topic, so order per group survives retries (SNS deduplicates by event id).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int TAKE = 100;
    private static final java.util.regex.Pattern AWS_CODE = java.util.regex.Pattern.compile(": ([A-Za-z.]+) \\(HTTP (\\d+)\\)");
    private static final java.util.regex.Pattern LEADING_CODE = java.util.regex.Pattern.compile("^([A-Za-z.]+): ");

    private final Instance<OutboxStore> store;
    private final SnsPublisher sns;
    private final boolean enabled;
    private final long retryMin;
    private final long retryMax;
    private final PriorityQueue<Due> retries = new PriorityQueue<>(Comparator.comparingLong(Due::at));
    private final Set<String> held = new HashSet<>();
    private final Counter published;
    private final Counter retried;
    private final Counter dead;
    private final MeterRegistry registry;
    private final Timer latency;
    private volatile boolean running;
    private Thread thread;

    OutboxRelay(Instance<OutboxStore> store, SnsPublisher sns, JunctionConfig config, MeterRegistry registry) {
        this.store = store;
        this.sns = sns;
        this.enabled = config.sns().enabled();
        this.retryMin = config.outbox().retryMin().toMillis();
        this.retryMax = config.outbox().retryMax().toMillis();
        this.registry = registry;
        this.published = Counter.builder("junction.sns.published").description("Events SNS confirmed").register(registry);
        this.retried = Counter.builder("junction.sns.retries").description("Publishes retried after a passing failure")
                .register(registry);
        this.dead = Counter.builder("junction.sns.dead").description("Events SNS refused for good (dead letters)")
                .register(registry);
        this.latency = Timer.builder("junction.sns.publish.latency").description("PublishBatch round trips")
                .publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("junction.outbox.depth", this, r -> r.depth().entries())
                .description("Events waiting for SNS or in flight").register(registry);
        Gauge.builder("junction.outbox.oldest.age.seconds", this, r -> r.depth().oldestAgeMillis() / 1000.0)
                .description("Age of the oldest event waiting for SNS").register(registry);
        Gauge.builder("junction.outbox.dead.letters", this, r -> r.depth().deadLetters())
                .description("Events in the dead letters").register(registry);
    }

    OutboxStore.Depth depth() {
        return enabled ? store.get().depth() : new OutboxStore.Depth(0, 0, 0);
    }

    void start(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "junction-outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stops taking entries and lets the batch in flight finish. In Redis, what this pod took and did
     * not finish stays pending in the shared group, where another pod takes it over.
     */
    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        OutboxStore outbox = store.get();
        while (running) {
            try {
                long now = System.currentTimeMillis();
                long wait = retries.isEmpty() ? 500 : Math.max(1, Math.min(500, retries.peek().at() - now));
                List<OutboxEntry> work = new ArrayList<>();
                while (!retries.isEmpty() && retries.peek().at() <= now) {
                    work.add(retries.poll().entry());
                }
                for (OutboxEntry fresh : outbox.take(TAKE, Duration.ofMillis(work.isEmpty() ? wait : 1))) {
                    // Redis may hand back, by takeover, an entry this relay is still holding for a retry.
                    if (held.add(fresh.ref())) {
                        work.add(fresh);
                    }
                }
                if (!work.isEmpty()) {
                    process(outbox, work);
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "outbox relay iteration failed; continuing");
            }
        }
    }

    private void process(OutboxStore outbox, List<OutboxEntry> work) {
        Map<String, List<OutboxEntry>> byTopic = new LinkedHashMap<>();
        for (OutboxEntry e : work) {
            byTopic.computeIfAbsent(e.topic(), t -> new ArrayList<>()).add(e);
        }
        List<OutboxEntry> done = new ArrayList<>();
        for (Map.Entry<String, List<OutboxEntry>> topic : byTopic.entrySet()) {
            boolean fifo = topic.getKey().endsWith(".fifo");
            List<List<OutboxEntry>> batches = batches(topic.getValue());
            for (int b = 0; b < batches.size(); b++) {
                long start = System.nanoTime();
                List<Result> results = sns.publish(topic.getKey(), batches.get(b));
                latency.record(Duration.ofNanos(System.nanoTime() - start));
                boolean anyRetry = false;
                for (Result r : results) {
                    switch (r.outcome()) {
                        case PUBLISHED -> {
                            done.add(r.entry());
                            published.increment();
                        }
                        case DEAD -> {
                            LOG.warnf("event %s to topic %s moved to the dead letters: %s", r.entry().eventId(),
                                    topic.getKey(), r.reason());
                            held.remove(r.entry().ref());
                            outbox.dead(r.entry(), r.reason());
                            dead.increment();
                            failure("dead", r.reason());
                        }
                        case RETRY -> {
                            anyRetry = true;
                            failure("retry", r.reason());
                            retryLater(r.entry(), r.reason());
                        }
                    }
                }
                if (fifo && anyRetry) {
                    // Nothing later in this FIFO topic may overtake the entry that has to wait.
                    for (int later = b + 1; later < batches.size(); later++) {
                        batches.get(later).forEach(e -> retryLater(e, "held back behind an earlier entry of a FIFO topic"));
                    }
                    break;
                }
            }
        }
        done.forEach(e -> held.remove(e.ref()));
        outbox.done(done);
    }

    /** Failures by outcome and by a short, bounded reason (the AWS error code, or the kind of error). */
    private void failure(String outcome, String reason) {
        Counter.builder("junction.sns.failures").description("Failed publishes by outcome and reason")
                .tag("outcome", outcome).tag("reason", reasonCode(reason)).register(registry).increment();
    }

    static String reasonCode(String reason) {
        if (reason == null) {
            return "unknown";
        }
        java.util.regex.Matcher aws = AWS_CODE.matcher(reason);
        if (aws.find()) {
            return aws.group(1);
        }
        java.util.regex.Matcher code = LEADING_CODE.matcher(reason);
        if (code.find() && !reason.startsWith("PublishBatch") && !reason.startsWith("resolving")) {
            return code.group(1);
        }
        if (reason.contains("no ARN configured")) {
            return "TopicNotConfigured";
        }
        return reason.contains("Exception") ? reason.replaceAll(".*?([A-Za-z]+Exception).*", "$1") : "other";
    }

    private void retryLater(OutboxEntry entry, String reason) {
        OutboxEntry next = entry.retried();
        long backoff = Math.min(retryMax, retryMin << Math.min(20, next.attempts() - 1));
        long delay = backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        if (next.attempts() == 1 || next.attempts() % 10 == 0) {
            LOG.infof("event %s to topic %s will be retried in %d ms (attempt %d): %s", entry.eventId(), entry.topic(),
                    delay, next.attempts(), reason);
        }
        retried.increment();
        retries.add(new Due(System.currentTimeMillis() + delay, next));
    }

    /** Consecutive entries of one topic, in order, at most 10 and 256 KiB per batch. */
    static List<List<OutboxEntry>> batches(List<OutboxEntry> entries) {
        List<List<OutboxEntry>> out = new ArrayList<>();
        List<OutboxEntry> current = new ArrayList<>();
        int bytes = 0;
        for (OutboxEntry e : entries) {
            int size = SnsPublisher.size(e);
            if (!current.isEmpty() && (current.size() == SnsPublisher.MAX_BATCH_ENTRIES
                    || bytes + size > SnsPublisher.MAX_BATCH_BYTES)) {
                out.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(e);
            bytes += size;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    private record Due(long at, OutboxEntry entry) {
    }
}
